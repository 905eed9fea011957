package io.groupwire.push;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Reads and writes the PEM texts the push adapters deal in: APNs .p8 signing keys, the private key
 * of a Google service account, and sandbox TLS certificates. BouncyCastle does the parsing.
 *
 * <p>Errors never quote the text they were given: it may be a secret.
 */
public final class Pem {
    private Pem() {
    }

    /** A private key from PKCS#8 ({@code PRIVATE KEY}) or traditional ({@code EC/RSA PRIVATE KEY}) PEM. */
    public static PrivateKey privateKey(String pem) {
        Object parsed = parse(pem, "private key");
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parsed instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (parsed instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the PEM private key cannot be decoded");
        }
        throw new IllegalArgumentException("the PEM text holds no unencrypted private key");
    }

    /** An X.509 certificate from PEM. */
    public static X509Certificate certificate(String pem) {
        Object parsed = parse(pem, "certificate");
        if (!(parsed instanceof X509CertificateHolder holder)) {
            throw new IllegalArgumentException("the PEM text holds no certificate");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("the PEM certificate cannot be decoded", e);
        }
    }

    /** A private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), the form of Apple's .p8 files. */
    public static String pkcs8(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null).generate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A certificate as PEM. */
    public static String certificate(X509Certificate certificate) {
        try {
            return write(new PemObject("CERTIFICATE", certificate.getEncoded()));
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("a certificate we hold cannot be encoded", e);
        }
    }

    private static String write(PemObject object) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static Object parse(String pem, String what) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("no PEM " + what + " given");
        }
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            parsed = parser.readObject();
        } catch (IOException | RuntimeException e) {
            parsed = null;
        }
        if (parsed == null) {
            throw new IllegalArgumentException("the text is not a readable PEM " + what);
        }
        return parsed;
    }
}

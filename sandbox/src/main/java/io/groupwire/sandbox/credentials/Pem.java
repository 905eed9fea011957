package io.groupwire.sandbox.credentials;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * The PEM texts the sandboxes hand to their clients (an APNs {@code .p8} signing key, a service
 * account's key, TLS certificates) and read back when they restart on the same directory. The
 * sandbox only ever reads what it wrote, so it knows two shapes: PKCS#8 keys and X.509
 * certificates. (The push adapters read operators' PEM files with their own, more tolerant reader.)
 *
 * <p>Errors never quote the text they were given: it may be a secret.
 */
public final class Pem {
    private Pem() {
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

    /** The key of a PKCS#8 PEM text that {@link #pkcs8} wrote. */
    public static PrivateKey readPkcs8(String pem) {
        try (PemReader reader = new PemReader(new StringReader(pem == null ? "" : pem))) {
            PemObject object = reader.readPemObject();
            if (object == null || !"PRIVATE KEY".equals(object.getType())) {
                throw new IllegalArgumentException("the text holds no PKCS#8 private key");
            }
            return new JcaPEMKeyConverter().getPrivateKey(PrivateKeyInfo.getInstance(object.getContent()));
        } catch (IOException | RuntimeException e) {
            throw e instanceof IllegalArgumentException iae ? iae
                    : new IllegalArgumentException("the PKCS#8 private key cannot be decoded");
        }
    }

    /** The certificate of a PEM text that {@link #certificate(X509Certificate)} wrote. */
    public static X509Certificate readCertificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream((pem == null ? "" : pem).getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("the text holds no readable certificate");
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
}

package io.groupwire.push;

import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads the private keys the push adapters are given in PEM: the private key of a Google service
 * account, in PKCS#8 or a traditional {@code RSA/EC PRIVATE KEY} block. BouncyCastle does the parsing.
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

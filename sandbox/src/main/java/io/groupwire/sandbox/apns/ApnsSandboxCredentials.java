package io.groupwire.sandbox.apns;

import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import io.groupwire.sandbox.credentials.CredentialFiles;
import io.groupwire.sandbox.credentials.Pem;
import io.groupwire.sandbox.credentials.SandboxCertificate;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Properties;
import org.bouncycastle.jce.ECNamedCurveTable;

/**
 * The credentials of the APNs sandbox, kept as files in a directory so that a client in another
 * process can use them: the server's self-signed TLS certificate ({@value #CERTIFICATE_FILE}, what
 * {@code GROUPWIRE_APNS_TRUSTED_CERT} names) and its key, the token-authentication signing key as
 * Apple hands it out ({@code AuthKey_<key id>.p8}, EC P-256 PKCS#8), and {@value #SETTINGS_FILE}
 * with the key id, team id and topic. Existing files are reused, so restarting the sandbox does not
 * invalidate a running client's configuration.
 *
 * @param certificate     the server certificate and key
 * @param certificateFile where the certificate is
 * @param signingKeyFile  the .p8 file
 * @param keyId           the signing key's id
 * @param teamId          the team id
 * @param topic           the bundle id the key may send to
 * @param verificationKey the public half of the signing key, as the sandbox checks tokens with it
 */
record ApnsSandboxCredentials(SandboxCertificate certificate, Path certificateFile, Path signingKeyFile,
                              String keyId, String teamId, String topic, ApnsVerificationKey verificationKey) {
    static final String CERTIFICATE_FILE = "apns-sandbox-server.crt";
    static final String CERTIFICATE_KEY_FILE = "apns-sandbox-server.key";
    static final String SETTINGS_FILE = "apns-sandbox.properties";
    static final String DEFAULT_TOPIC = "io.groupwire.sandbox";
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    static ApnsSandboxCredentials loadOrCreate(Path dir) {
        Path certificateFile = dir.resolve(CERTIFICATE_FILE).toAbsolutePath();
        SandboxCertificate certificate = SandboxCertificate.loadOrGenerate(certificateFile,
                dir.resolve(CERTIFICATE_KEY_FILE), "Groupwire APNs sandbox");
        ApnsSandboxCredentials existing = load(dir, certificate, certificateFile);
        return existing != null ? existing : create(dir, certificate, certificateFile);
    }

    private static ApnsSandboxCredentials load(Path dir, SandboxCertificate certificate, Path certificateFile) {
        Path settings = dir.resolve(SETTINGS_FILE);
        if (!Files.isRegularFile(settings)) {
            return null;
        }
        try {
            Properties p = new Properties();
            p.load(new StringReader(CredentialFiles.read(settings)));
            String keyId = p.getProperty("key_id");
            String teamId = p.getProperty("team_id");
            String topic = p.getProperty("topic", DEFAULT_TOPIC);
            Path keyFile = dir.resolve(keyFileName(keyId)).toAbsolutePath();
            PrivateKey key = Pem.readPkcs8(CredentialFiles.read(keyFile));
            return new ApnsSandboxCredentials(certificate, certificateFile, keyFile, keyId, teamId, topic,
                    verificationKey(key, keyId, teamId));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static ApnsSandboxCredentials create(Path dir, SandboxCertificate certificate, Path certificateFile) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            PrivateKey key = generator.generateKeyPair().getPrivate();
            String keyId = randomId();
            String teamId = randomId();
            Path keyFile = dir.resolve(keyFileName(keyId)).toAbsolutePath();
            CredentialFiles.writePrivate(keyFile, Pem.pkcs8(key));
            Properties p = new Properties();
            p.setProperty("key_id", keyId);
            p.setProperty("team_id", teamId);
            p.setProperty("topic", DEFAULT_TOPIC);
            StringWriter text = new StringWriter();
            p.store(text, "Groupwire APNs sandbox: the signing key is " + keyFileName(keyId));
            CredentialFiles.writePublic(dir.resolve(SETTINGS_FILE), text.toString());
            return new ApnsSandboxCredentials(certificate, certificateFile, keyFile, keyId, teamId, DEFAULT_TOPIC,
                    verificationKey(key, keyId, teamId));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate the APNs sandbox signing key", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String keyFileName(String keyId) {
        if (keyId == null || !keyId.matches("[A-Z0-9]{10}")) {
            throw new IllegalArgumentException("not an APNs key id");
        }
        return "AuthKey_" + keyId + ".p8";
    }

    /** The public key of an EC P-256 private key: Q = d·G. */
    static ApnsVerificationKey verificationKey(PrivateKey key, String keyId, String teamId) {
        try {
            ECPrivateKey ec = (ECPrivateKey) key;
            org.bouncycastle.math.ec.ECPoint q = ECNamedCurveTable.getParameterSpec("secp256r1").getG()
                    .multiply(ec.getS()).normalize();
            ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
            ECPublicKey pub = (ECPublicKey) KeyFactory.getInstance("EC")
                    .generatePublic(new ECPublicKeySpec(w, ec.getParams()));
            return new ApnsVerificationKey(keyId, teamId, pub);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("the APNs sandbox signing key is not an EC P-256 key");
        }
    }

    private static String randomId() {
        SecureRandom random = new SecureRandom();
        StringBuilder id = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }
}

package io.groupwire.push.fcm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupwire.core.json.Json;
import io.groupwire.push.CredentialFiles;
import io.groupwire.push.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.HexFormat;

/**
 * The FCM sandbox's service account: an RSA key and a Google-style service-account JSON
 * ({@value #FILE}) whose {@code token_uri} points at the sandbox, so that an FCM client in another
 * process can be given the file as {@code GROUPWIRE_FCM_SERVICE_ACCOUNT_FILE}. An existing file is
 * reused (its key kept), and rewritten only if the sandbox's address changed.
 *
 * @param file      the JSON file
 * @param account   the account as the client reads it
 * @param publicKey the key the sandbox verifies assertions with
 */
record FcmSandboxCredentials(Path file, ServiceAccount account, RSAPublicKey publicKey) {
    static final String FILE = "fcm-service-account.json";
    static final String PROJECT_ID = "groupwire-sandbox";
    static final String CLIENT_EMAIL = "firebase-adminsdk@groupwire-sandbox.iam.gserviceaccount.com";

    static FcmSandboxCredentials loadOrCreate(Path dir, String tokenUri) {
        Path file = dir.resolve(FILE).toAbsolutePath();
        ServiceAccount existing = null;
        if (Files.isRegularFile(file)) {
            try {
                existing = ServiceAccount.parse(CredentialFiles.read(file));
            } catch (RuntimeException e) {
                existing = null;
            }
        }
        if (existing != null && existing.tokenUri().toString().equals(tokenUri)
                && existing.privateKey() instanceof RSAPrivateCrtKey) {
            return new FcmSandboxCredentials(file, existing, publicKey(existing));
        }
        RSAPrivateCrtKey key = existing != null && existing.privateKey() instanceof RSAPrivateCrtKey crt ? crt : newKey();
        String keyId = existing != null && existing.privateKeyId() != null ? existing.privateKeyId() : newKeyId();
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("type", "service_account");
        json.put("project_id", PROJECT_ID);
        json.put("private_key_id", keyId);
        json.put("private_key", Pem.pkcs8(key));
        json.put("client_email", CLIENT_EMAIL);
        json.put("client_id", "100000000000000000000");
        json.put("auth_uri", tokenUri);
        json.put("token_uri", tokenUri);
        String text;
        try {
            text = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        CredentialFiles.writePrivate(file, text + "\n");
        ServiceAccount account = ServiceAccount.parse(text);
        return new FcmSandboxCredentials(file, account, publicKey(account));
    }

    private static RSAPublicKey publicKey(ServiceAccount account) {
        RSAPrivateCrtKey crt = (RSAPrivateCrtKey) account.privateKey();
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the sandbox service account's public key", e);
        }
    }

    private static RSAPrivateCrtKey newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return (RSAPrivateCrtKey) generator.generateKeyPair().getPrivate();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate the sandbox service account key", e);
        }
    }

    private static String newKeyId() {
        byte[] id = new byte[20];
        new SecureRandom().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }
}

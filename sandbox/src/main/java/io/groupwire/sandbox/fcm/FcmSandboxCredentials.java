package io.groupwire.sandbox.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupwire.core.json.Json;
import io.groupwire.sandbox.credentials.CredentialFiles;
import io.groupwire.sandbox.credentials.Pem;
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
 * reused (its key kept), and rewritten only if the sandbox's address changed. The sandbox reads the
 * file as Google would: only the fields it wrote itself, and the key to check assertions with.
 *
 * @param file       the JSON file
 * @param keyId      the key's id ({@code private_key_id})
 * @param privateKey the account's key, which signs the client's assertions
 * @param tokenUri   where the client exchanges an assertion for an access token
 * @param publicKey  the key the sandbox verifies assertions with
 */
record FcmSandboxCredentials(Path file, String keyId, RSAPrivateCrtKey privateKey, String tokenUri,
                             RSAPublicKey publicKey) {
    static final String FILE = "fcm-service-account.json";
    static final String PROJECT_ID = "groupwire-sandbox";
    static final String CLIENT_EMAIL = "firebase-adminsdk@groupwire-sandbox.iam.gserviceaccount.com";

    static FcmSandboxCredentials loadOrCreate(Path dir, String tokenUri) {
        Path file = dir.resolve(FILE).toAbsolutePath();
        FcmSandboxCredentials existing = read(file);
        if (existing != null && existing.tokenUri().equals(tokenUri)) {
            return existing;
        }
        RSAPrivateCrtKey key = existing != null ? existing.privateKey() : newKey();
        String keyId = existing != null && existing.keyId() != null ? existing.keyId() : newKeyId();
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
        return new FcmSandboxCredentials(file, keyId, key, tokenUri, publicKey(key));
    }

    /** The account in {@code file} if the sandbox wrote it and it is intact, else null. */
    static FcmSandboxCredentials read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode json = Json.mapper().readTree(CredentialFiles.read(file));
            if (!(Pem.readPkcs8(json.path("private_key").asText()) instanceof RSAPrivateCrtKey key)
                    || !json.path("token_uri").isTextual()) {
                return null;
            }
            JsonNode keyId = json.path("private_key_id");
            return new FcmSandboxCredentials(file, keyId.isTextual() ? keyId.asText() : null, key,
                    json.path("token_uri").asText(), publicKey(key));
        } catch (Exception e) {
            return null;
        }
    }

    String projectId() {
        return PROJECT_ID;
    }

    private static RSAPublicKey publicKey(RSAPrivateCrtKey crt) {
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

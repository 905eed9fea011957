package io.groupwire.push.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupwire.core.json.Json;
import io.groupwire.push.Pem;
import java.net.URI;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;

/**
 * The parts of a Google service-account JSON file the FCM client needs. {@link #toString()} leaves
 * the key out, and parse errors name the missing field, never a value.
 *
 * @param projectId    the Firebase project
 * @param clientEmail  the account, the JWT's issuer
 * @param privateKeyId the key's id, the JWT's {@code kid} (may be null)
 * @param privateKey   the RSA key that signs the JWT assertion
 * @param tokenUri     where the assertion is exchanged for an access token
 */
public record ServiceAccount(String projectId, String clientEmail, String privateKeyId, RSAPrivateKey privateKey,
                             URI tokenUri) {

    public static ServiceAccount parse(String json) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("the FCM service account is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the FCM service account is not a JSON object");
        }
        String projectId = text(root, "project_id");
        if (!projectId.matches("[a-z0-9][a-z0-9:.\\-]{0,99}")) {
            throw new IllegalArgumentException("the FCM service account's project_id is not a project id");
        }
        PrivateKey key;
        try {
            key = Pem.privateKey(text(root, "private_key"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the FCM service account's private_key is not a PEM private key");
        }
        if (!(key instanceof RSAPrivateKey rsa)) {
            throw new IllegalArgumentException("the FCM service account's private_key is not an RSA key");
        }
        URI tokenUri;
        try {
            tokenUri = URI.create(text(root, "token_uri"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the FCM service account's token_uri is not a URL");
        }
        if (!("https".equals(tokenUri.getScheme()) || "http".equals(tokenUri.getScheme())) || tokenUri.getHost() == null) {
            throw new IllegalArgumentException("the FCM service account's token_uri must be an http(s) URL");
        }
        JsonNode kid = root.path("private_key_id");
        return new ServiceAccount(projectId, text(root, "client_email"), kid.isTextual() ? kid.asText() : null, rsa,
                tokenUri);
    }

    private static String text(JsonNode root, String field) {
        JsonNode v = root.path(field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException("the FCM service account has no " + field);
        }
        return v.asText();
    }

    @Override
    public String toString() {
        return "ServiceAccount[projectId=" + projectId + ", clientEmail=" + clientEmail + ", privateKeyId="
                + privateKeyId + ", privateKey=(secret), tokenUri=" + tokenUri + "]";
    }
}

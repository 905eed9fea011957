package io.groupwire.sandbox.fcm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.groupwire.sandbox.credentials.CredentialFiles;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FCM sandbox's endpoints seen from raw HTTP clients: malformed, oversized and hostile input. */
class FcmSandboxTest {
    @TempDir
    static Path credentials;
    static Vertx vertx;
    static FcmTestServer server;
    static FcmSandbox sandbox;
    static HttpClient h2;
    static HttpClient h1;
    static String bearer;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = new FcmTestServer(vertx);
        sandbox = server.mountSandbox(credentials, FcmSandbox.DEFAULT_TOKEN_LIFETIME);
        h2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
        h1 = vertx.createHttpClient();
        FcmSandboxCredentials account = FcmSandboxCredentials.read(sandbox.serviceAccountFile());
        bearer = token(GRANT + "&assertion=" + assertion(account.privateKey(), account.tokenUri(), Instant.now(),
                Duration.ofHours(1), SandboxTokenEndpoint.SCOPE)).json().getString("access_token");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @BeforeEach
    void clear() {
        server.log.clear();
        server.faults.clear();
    }

    record Answer(int status, JsonObject json, String raw) {
        JsonObject error() {
            return json.getJsonObject("error");
        }
    }

    static Answer call(HttpClient client, String path, Map<String, String> headers, Buffer body) throws Exception {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(server.baseUrl() + path);
        headers.forEach(options::putHeader);
        return client.request(options)
                .compose(req -> req.send(body).compose(r -> r.body().map(b -> {
                    assertTrue(r.getHeader("content-type").startsWith("application/json"), r.getHeader("content-type"));
                    return new Answer(r.statusCode(), b.toJsonObject(), b.toString());
                })))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static String sendPath() {
        return "/v1/projects/" + sandbox.projectId() + "/messages:send";
    }

    static Answer send(String body) throws Exception {
        return send(Buffer.buffer(body));
    }

    static Answer send(Buffer body) throws Exception {
        return call(h2, sendPath(), Map.of("authorization", "Bearer " + bearer, "content-type", "application/json"), body);
    }

    /** Asserts FCM's INVALID_ARGUMENT shape, and that nothing was recorded. */
    static Answer assertInvalid(Answer a) {
        assertEquals(400, a.status(), a.raw());
        assertEquals(400, a.error().getInteger("code"));
        assertEquals("INVALID_ARGUMENT", a.error().getString("status"));
        assertFalse(a.error().getString("message").isBlank());
        assertTrue(a.raw().length() < 2000, "the answer does not echo a hostile body at length");
        assertTrue(server.log.channel("fcm").isEmpty());
        return a;
    }

    static final String TOKEN = "fcm_token_0123456789abcdef";

    @Test
    void aValidMessageIsAcceptedOverHttp2AndHttp11() throws Exception {
        String body = "{\"message\":{\"token\":\"" + TOKEN + "\",\"data\":{\"gw_message_id\":\"m-7\"},"
                + "\"notification\":{\"title\":\"t\",\"body\":\"b\"},"
                + "\"android\":{\"collapseKey\":\"m-7\",\"ttl\":\"3.5s\",\"notification\":{\"tag\":\"m-7\"}},"
                + "\"apns\":{\"headers\":{\"apns-collapse-id\":\"m-7\"}}}}";
        Answer a = send(body);
        assertEquals(200, a.status(), a.raw());
        assertTrue(a.json().getString("name").startsWith("projects/groupwire-sandbox/messages/"));

        Answer overH1 = call(h1, sendPath(), Map.of("authorization", "Bearer " + bearer,
                "content-type", "application/json"), Buffer.buffer(body));
        assertEquals(200, overH1.status());
        assertEquals(2, server.log.channel("fcm").size());
        assertEquals("m-7", server.log.channel("fcm").get(0).messageId());
        assertEquals(body, server.log.channel("fcm").get(0).payload());
    }

    @Test
    void validateOnlyAnswersWithoutRecording() throws Exception {
        Answer a = send("{\"validate_only\":true,\"message\":{\"token\":\"" + TOKEN + "\"}}");
        assertEquals(200, a.status());
        assertTrue(a.json().getString("name").endsWith("fake_message_id"));
        assertTrue(server.log.channel("fcm").isEmpty());
    }

    @Test
    void malformedBodiesAreInvalidArguments() throws Exception {
        assertInvalid(send("{\"message\": {\"token\": "));
        assertInvalid(send(""));
        assertInvalid(send("[1,2,3]"));
        assertInvalid(send("\"message\""));
        assertInvalid(send("null"));
        assertInvalid(send("{}"));
        assertInvalid(send("{\"message\": []}"));
        assertInvalid(send("{\"message\": {\"token\": \"" + TOKEN + "\"}, \"extra\": 1}"));
        assertInvalid(send("{\"message\": {\"token\": \"" + TOKEN + "\", \"colour\": \"red\"}}"));
        assertInvalid(send("{\"message\": {\"data\": {}}}"));
        assertInvalid(send("{\"message\": {\"token\": \"" + TOKEN + "\", \"topic\": \"news\"}}"));
        assertInvalid(send("{\"message\": {\"topic\": \"news\"}}"));
        assertInvalid(send("{\"message\": {\"token\": 12345678901234567890}}"));
        assertInvalid(send("{\"message\": {\"token\": \"" + TOKEN + "\", \"data\": {\"n\": 1}}}"));
        assertInvalid(send("{\"message\": {\"token\": \"" + TOKEN + "\", \"data\": [\"x\"]}}"));
        assertInvalid(send("{\"message\": {\"token\": \"" + TOKEN + "\", \"data\": {\"from\": \"x\"}}}"));
        assertInvalid(send("{\"message\": {\"token\": \"" + TOKEN + "\", \"data\": {\"google.x\": \"x\"}}}"));
        assertInvalid(send("{\"message\": {\"token\": \"" + TOKEN + "\", \"notification\": {\"title\": {}}}}"));
        assertInvalid(send("{\"message\": {\"token\": \"" + TOKEN + "\", \"notification\": {\"sound\": \"x\"}}}"));
        assertInvalid(send("{\"message\": {\"token\": \"" + TOKEN + "\", \"android\": {\"priority\": \"urgent\"}}}"));
        assertInvalid(send("{\"message\": {\"token\": \"" + TOKEN + "\", \"android\": {\"ttl\": \"an hour\"}}}"));
        assertInvalid(send("{\"message\": {\"token\": \"" + TOKEN + "\", \"android\": {\"ttl\": \"9999999s\"}}}"));
        assertInvalid(send("{\"message\": {\"token\": \"" + TOKEN + "\", \"android\": {\"notification\": {\"tag\": 5}}}}"));
        assertInvalid(send("{\"message\": {\"token\": \"" + TOKEN + "\", \"apns\": {\"headers\": {\"apns-priority\": 10}}}}"));
        assertInvalid(send("{\"message\": {\"token\": \"" + TOKEN + "\", \"apns\": {\"headers\": {\"apns-collapse-id\": \""
                + "x".repeat(65) + "\"}}}}"));
        assertInvalid(send("{\"message\": {\"token\": \"" + TOKEN + "\", \"webpush\": 3}}"));
        assertInvalid(send("{\"validate_only\": \"yes\", \"message\": {\"token\": \"" + TOKEN + "\"}}"));
    }

    @Test
    void aBadTokenIsNamedAsTheTokenFcmDoes() throws Exception {
        Answer a = assertInvalid(send("{\"message\": {\"token\": \"short\"}}"));
        assertEquals("The registration token is not a valid FCM registration token", a.error().getString("message"));
        assertEquals("message.token", a.error().getJsonArray("details").getJsonObject(1)
                .getJsonArray("fieldViolations").getJsonObject(0).getString("field"));
        assertInvalid(send("{\"message\": {\"token\": \"" + TOKEN + "/../../x\"}}"));
    }

    @Test
    void oversizedAndHostileBodiesAreInvalidArguments() throws Exception {
        assertInvalid(send(Buffer.buffer(new byte[200_000])));
        assertInvalid(send("{\"message\": {\"token\": \"" + TOKEN + "\", \"data\": {\"x\": \"" + "y".repeat(5000) + "\"}}}"));
        assertInvalid(send("[".repeat(60_000)));
        assertInvalid(send("{\"a\":".repeat(10_000)));
        assertInvalid(send(Buffer.buffer(new byte[]{'{', (byte) 0xC3, (byte) 0x28, '}'})));
        assertInvalid(send("{\"message\": {\"token\": \"" + TOKEN + "\", \"" + "k".repeat(30_000) + "\": 1}}"));
        assertInvalid(send("{\"message\": {\"token\": \"" + TOKEN + "\u0000\"}}"));
        Answer wrongType = call(h2, sendPath(), Map.of("authorization", "Bearer " + bearer, "content-type", "text/plain"),
                Buffer.buffer("{\"message\": {\"token\": \"" + TOKEN + "\"}}"));
        assertInvalid(wrongType);
    }

    @Test
    void requestsWithoutAValidBearerAreUnauthenticated() throws Exception {
        String body = "{\"message\": {\"token\": \"" + TOKEN + "\"}}";
        for (Map<String, String> headers : List.of(
                Map.of("content-type", "application/json"),
                Map.of("content-type", "application/json", "authorization", "Bearer ya29.made-up"),
                Map.of("content-type", "application/json", "authorization", "Basic " + bearer),
                Map.of("content-type", "application/json", "authorization", "Bearer " + "x".repeat(5_000)))) {
            Answer a = call(h2, sendPath(), headers, Buffer.buffer(body));
            assertEquals(401, a.status());
            assertEquals("UNAUTHENTICATED", a.error().getString("status"));
        }
        Answer otherProject = call(h2, "/v1/projects/someone-else/messages:send",
                Map.of("authorization", "Bearer " + bearer, "content-type", "application/json"), Buffer.buffer(body));
        assertEquals(403, otherProject.status());
        assertEquals("PERMISSION_DENIED", otherProject.error().getString("status"));
        assertTrue(server.log.channel("fcm").isEmpty());
    }

    static final String GRANT = "grant_type=" + java.net.URLEncoder.encode(SandboxTokenEndpoint.GRANT_TYPE,
            StandardCharsets.UTF_8);

    static Answer token(String form) throws Exception {
        return call(h1, FcmSandbox.TOKEN_PATH, Map.of("content-type", "application/x-www-form-urlencoded"),
                Buffer.buffer(form));
    }

    static String assertion(RSAPrivateKey key, String audience, Instant issuedAt, Duration lifetime, String scope) {
        var builder = JWT.create().withIssuer(FcmSandboxCredentials.CLIENT_EMAIL).withAudience(audience)
                .withIssuedAt(issuedAt).withExpiresAt(issuedAt.plus(lifetime));
        if (scope != null) {
            builder.withClaim("scope", scope);
        }
        return builder.sign(Algorithm.RSA256(null, key));
    }

    @Test
    void theTokenEndpointVerifiesTheAssertion() throws Exception {
        FcmSandboxCredentials account = FcmSandboxCredentials.read(sandbox.serviceAccountFile());
        String aud = account.tokenUri();
        String grant = GRANT;
        Instant now = Instant.now();

        Answer ok = token(grant + "&assertion=" + assertion(account.privateKey(), aud, now, Duration.ofHours(1),
                SandboxTokenEndpoint.SCOPE));
        assertEquals(200, ok.status());
        assertEquals("Bearer", ok.json().getString("token_type"));
        assertEquals(3600, ok.json().getInteger("expires_in"));

        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        RSAPrivateKey other = (RSAPrivateKey) g.generateKeyPair().getPrivate();
        String[] badAssertions = {
                assertion(other, aud, now, Duration.ofHours(1), SandboxTokenEndpoint.SCOPE),
                assertion(account.privateKey(), "https://oauth2.googleapis.com/token", now, Duration.ofHours(1),
                        SandboxTokenEndpoint.SCOPE),
                assertion(account.privateKey(), aud, now, Duration.ofHours(3), SandboxTokenEndpoint.SCOPE),
                assertion(account.privateKey(), aud, now.minus(Duration.ofHours(2)), Duration.ofHours(1),
                        SandboxTokenEndpoint.SCOPE),
                assertion(account.privateKey(), aud, now, Duration.ofHours(1), null),
                "not.a.jwt",
                "x".repeat(10_000)};
        for (String bad : badAssertions) {
            Answer a = token(grant + "&assertion=" + bad);
            assertEquals(400, a.status(), a.raw());
            assertTrue(a.json().getString("error").startsWith("invalid_"), a.raw());
        }
        Answer wrongScope = token(grant + "&assertion=" + assertion(account.privateKey(), aud, now, Duration.ofHours(1),
                "https://www.googleapis.com/auth/drive"));
        assertEquals("invalid_scope", wrongScope.json().getString("error"));
        assertEquals("unsupported_grant_type", token("grant_type=password&username=a").json().getString("error"));
        assertEquals("invalid_request", token(grant).json().getString("error"));
        assertEquals("invalid_request", token("x".repeat(100_000)).json().getString("error"));
        Answer json = call(h1, FcmSandbox.TOKEN_PATH, Map.of("content-type", "application/json"), Buffer.buffer("{}"));
        assertEquals("invalid_request", json.json().getString("error"));
    }

    @Test
    void theServiceAccountIsReusedAndFollowsTheSandboxAddress(@TempDir Path dir) throws Exception {
        FcmSandbox first = FcmSandbox.create("http://127.0.0.1:1111", dir, server.log, server.faults);
        FcmSandboxCredentials a = FcmSandboxCredentials.read(first.serviceAccountFile());
        FcmSandbox again = FcmSandbox.create("http://127.0.0.1:1111/", dir, server.log, server.faults);
        FcmSandboxCredentials b = FcmSandboxCredentials.read(again.serviceAccountFile());
        FcmSandbox moved = FcmSandbox.create("http://127.0.0.1:2222", dir, server.log, server.faults);
        FcmSandboxCredentials c = FcmSandboxCredentials.read(moved.serviceAccountFile());

        assertEquals(a.keyId(), b.keyId());
        assertEquals(a.privateKey().getModulus(), b.privateKey().getModulus());
        assertEquals(a.privateKey().getModulus(), c.privateKey().getModulus());
        assertEquals("http://127.0.0.1:2222/oauth2/token", c.tokenUri());
        assertNotEquals(a.tokenUri(), c.tokenUri());
        assertEquals("http://127.0.0.1:2222", moved.clientEnvironment().get("GROUPWIRE_FCM_ENDPOINT"));
        assertTrue(CredentialFiles.read(dir.resolve("fcm-sandbox.env")).contains("GROUPWIRE_FCM_ENDPOINT='http://127.0.0.1:2222'"));
        // that the client settings read from it never show the key: FcmSettingsTest
    }
}

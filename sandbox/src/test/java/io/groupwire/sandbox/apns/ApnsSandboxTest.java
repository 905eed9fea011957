package io.groupwire.sandbox.apns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.auth.AuthenticationToken;
import io.groupwire.core.json.Json;
import io.groupwire.sandbox.ReceivedLog;
import io.groupwire.sandbox.SandboxFaults;
import io.groupwire.sandbox.credentials.CredentialFiles;
import io.groupwire.sandbox.credentials.Pem;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The APNs sandbox seen from a plain HTTP/2 client, to check it judges requests and provider
 * tokens like APNs (Pushy's client would never send most of these).
 */
class ApnsSandboxTest {
    @TempDir
    static Path credentials;
    static final ReceivedLog LOG = new ReceivedLog();
    static ApnsSandbox sandbox;
    static Vertx vertx;
    static HttpClient http;
    static ApnsSigningKey key;

    @BeforeAll
    static void start() throws Exception {
        sandbox = ApnsSandbox.start(0, LOG, new SandboxFaults(), credentials);
        Map<String, String> s = sandbox.clientEnvironment();
        key = new ApnsSigningKey(s.get("GROUPWIRE_APNS_KEY_ID"), s.get("GROUPWIRE_APNS_TEAM_ID"),
                (ECPrivateKey) Pem.readPkcs8(CredentialFiles.read(Path.of(s.get("GROUPWIRE_APNS_KEY_FILE")))));
        vertx = Vertx.vertx();
        http = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setSsl(true)
                .setUseAlpn(true).setTrustOptions(new PemTrustOptions().addCertPath(s.get("GROUPWIRE_APNS_TRUSTED_CERT")))
                .setDefaultHost("127.0.0.1").setDefaultPort(sandbox.port()));
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        sandbox.close();
    }

    @BeforeEach
    void clear() {
        LOG.clear();
    }

    record Answer(int status, String reason, Map<String, String> headers) {
    }

    static Answer post(String path, Map<String, String> headers, String payload) throws Exception {
        return call(HttpMethod.POST, path, headers, payload);
    }

    static Answer call(HttpMethod method, String path, Map<String, String> headers, String payload) throws Exception {
        RequestOptions options = new RequestOptions().setMethod(method).setURI(path);
        headers.forEach(options::putHeader);
        return http.request(options)
                .compose(req -> req.send(Buffer.buffer(payload)).compose(r -> r.body().map(b -> answer(r, b))))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Answer answer(HttpClientResponse r, Buffer body) {
        String reason = body.length() == 0 ? null : Json.mapper().convertValue(
                body.toJsonObject().getValue("reason"), String.class);
        Map<String, String> headers = new HashMap<>();
        r.headers().forEach(e -> headers.put(e.getKey().toLowerCase(), e.getValue()));
        return new Answer(r.statusCode(), reason, headers);
    }

    static Map<String, String> headers(AuthenticationToken token) {
        Map<String, String> h = new HashMap<>();
        h.put("apns-topic", sandbox.clientEnvironment().get("GROUPWIRE_APNS_TOPIC"));
        h.put("apns-push-type", "alert");
        if (token != null) {
            h.put("authorization", token.getAuthorizationHeader().toString());
        }
        return h;
    }

    static AuthenticationToken fresh() {
        return new AuthenticationToken(key, Instant.now());
    }

    static String device() {
        return "/3/device/" + apnsToken();
    }

    /** A well-formed APNs device token (32 random bytes in hex). */
    static String apnsToken() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    }

    @Test
    void aWellFormedRequestIsAcceptedAndRecorded() throws Exception {
        Answer a = post(device(), headers(fresh()), "{\"aps\":{\"alert\":\"hi\"},\"gw_message_id\":\"m-1\"}");
        assertEquals(200, a.status());
        assertNotNull(a.headers().get("apns-id"));
        assertNotNull(a.headers().get("apns-unique-id"));
        assertEquals("m-1", LOG.channel("apns").get(0).messageId());
    }

    @Test
    void aPayloadThatIsNotJsonIsRecordedWithoutAMessageId() throws Exception {
        assertEquals(200, post(device(), headers(fresh()), "not json {").status());
        assertNull(LOG.channel("apns").get(0).messageId());
    }

    @Test
    void providerTokensAreCheckedLikeApnsDoes() throws Exception {
        assertEquals(new Answer(403, "MissingProviderToken", null).reason(),
                post(device(), headers(null), "{}").reason());

        Map<String, String> garbage = headers(null);
        garbage.put("authorization", "bearer not.a.jwt");
        assertEquals("InvalidProviderToken", post(device(), garbage, "{}").reason());

        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        ApnsSigningKey forged = new ApnsSigningKey(key.getKeyId(), key.getTeamId(), (ECPrivateKey) g.generateKeyPair().getPrivate());
        Answer forgedAnswer = post(device(), headers(new AuthenticationToken(forged, Instant.now())), "{}");
        assertEquals(403, forgedAnswer.status());
        assertEquals("InvalidProviderToken", forgedAnswer.reason());

        ApnsSigningKey otherTeam = new ApnsSigningKey(key.getKeyId(), "ZZZZZZZZZZ", key);
        assertEquals("InvalidProviderToken",
                post(device(), headers(new AuthenticationToken(otherTeam, Instant.now())), "{}").reason());

        Answer old = post(device(), headers(new AuthenticationToken(key, Instant.now().minus(Duration.ofMinutes(61)))), "{}");
        assertEquals(403, old.status());
        assertEquals("ExpiredProviderToken", old.reason());

        assertTrue(LOG.channel("apns").isEmpty());
    }

    @Test
    void malformedRequestsAreAnsweredWithApnsReasons() throws Exception {
        Map<String, String> wrongTopic = headers(fresh());
        wrongTopic.put("apns-topic", "com.example.other");
        assertEquals(new Answer(400, "TopicDisallowed", null).reason(), post(device(), wrongTopic, "{}").reason());

        Map<String, String> noTopic = headers(fresh());
        noTopic.remove("apns-topic");
        assertEquals("MissingTopic", post(device(), noTopic, "{}").reason());

        Map<String, String> longCollapse = headers(fresh());
        longCollapse.put("apns-collapse-id", "x".repeat(65));
        assertEquals("BadCollapseId", post(device(), longCollapse, "{}").reason());

        Map<String, String> badPriority = headers(fresh());
        badPriority.put("apns-priority", "7");
        assertEquals("BadPriority", post(device(), badPriority, "{}").reason());

        Map<String, String> badId = headers(fresh());
        badId.put("apns-id", "not-a-uuid");
        assertEquals("BadMessageId", post(device(), badId, "{}").reason());

        assertEquals("BadPath", post("/3/other/abc", headers(fresh()), "{}").reason());
        assertEquals("MissingDeviceToken", post("/3/device/", headers(fresh()), "{}").reason());
        assertEquals("BadDeviceToken", post("/3/device/" + "ab".repeat(31), headers(fresh()), "{}").reason());
        assertEquals("BadDeviceToken", post("/3/device/" + "zz".repeat(32), headers(fresh()), "{}").reason());
        assertEquals("BadDeviceToken", post("/3/device/" + "ab".repeat(101), headers(fresh()), "{}").reason());
        assertEquals(200, post("/3/device/" + "ab".repeat(100), headers(fresh()), "{}").status());
        assertEquals("MethodNotAllowed", call(HttpMethod.PUT, device(), headers(fresh()), "{}").reason());
        assertEquals("PayloadEmpty", post(device(), headers(fresh()), "").reason());
        Answer big = post(device(), headers(fresh()), "{\"a\":\"" + "x".repeat(5000) + "\"}");
        assertEquals(413, big.status());
        assertEquals("PayloadTooLarge", big.reason());

        assertEquals(1, LOG.channel("apns").size());
    }

    @Test
    void credentialsAreReusedAcrossRestartsAndWrittenForAClientInAnotherProcess(@TempDir Path dir) throws Exception {
        ReceivedLog log = new ReceivedLog();
        String keyId;
        String certificate;
        try (ApnsSandbox first = ApnsSandbox.start(0, log, new SandboxFaults(), dir)) {
            keyId = first.clientEnvironment().get("GROUPWIRE_APNS_KEY_ID");
            certificate = Files.readString(dir.resolve(ApnsSandboxCredentials.CERTIFICATE_FILE));
        }
        try (ApnsSandbox second = ApnsSandbox.start(0, log, new SandboxFaults(), dir)) {
            assertEquals(keyId, second.clientEnvironment().get("GROUPWIRE_APNS_KEY_ID"));
            assertEquals(certificate, Files.readString(dir.resolve(ApnsSandboxCredentials.CERTIFICATE_FILE)));
            assertTrue(Files.isRegularFile(dir.resolve("AuthKey_" + keyId + ".p8")));

            // what a pacer in another process does: read the env file's variables, nothing else
            Map<String, String> env = new HashMap<>();
            for (String line : CredentialFiles.read(dir.resolve("apns-sandbox.env")).split("\n")) {
                if (!line.startsWith("#") && line.contains("=")) {
                    String value = line.substring(line.indexOf('=') + 1);
                    env.put(line.substring(0, line.indexOf('=')), value.substring(1, value.length() - 1));
                }
            }
            assertEquals(Integer.toString(second.port()), env.get("GROUPWIRE_APNS_PORT"));
            assertEquals(second.clientEnvironment(), env);
            // that an APNs client configured from this file delivers: ApnsProviderClientTest
        }
    }
}

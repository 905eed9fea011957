package io.groupwire.deploy;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.groupwire.core.testing.RawHttp;
import io.groupwire.core.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Redis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The log an operator reads, in both formats: every line has a time and a level, is one event, has
 * no terminal escape, and holds no secret, token or full phone number, however the platform was used
 * (users with phones, devices, messages over every channel, a dead device, an opted-out number,
 * refused requests carrying tokens and phones). Groupwire's own loggers run at DEBUG for this.
 */
class LogHygieneTest {
    static final String ADMIN = Platform.ADMIN;
    static final String APNS_BOB = "b0".repeat(32);
    static final String APNS_DEAD = "de".repeat(32);
    static final String FCM_DAVE = "dave-fcm-token:" + "Zq9_".repeat(30);
    static final List<String> PHONES = List.of("+15557771001", "+15557771003", "+15557771006", "+447700900123");
    static final Pattern ANY_PHONE = Pattern.compile("\\+\\d{8,15}");

    @ParameterizedTest
    @ValueSource(strings = {"text", "json"})
    void theLogHoldsNoSecretTokenOrPhoneAndOneTimedLinePerEvent(String format) throws Exception {
        Redis r = TestRedis.client(Vertx.vertx());
        TestRedis.flushAll(r);
        r.close();
        List<String> secrets = new ArrayList<>(List.of(ADMIN, APNS_BOB, APNS_DEAD, FCM_DAVE));
        List<String> lines;
        try (CapturedLog log = new CapturedLog(format, Level.DEBUG)) {
            try (Platform platform = new Platform(Map.of())) {
                WebClient http = WebClient.create(platform.vertx);
                int port = platform.gateway.port();
                Path sandboxDir = Path.of(platform.sandbox.providerEnv().get("GROUPWIRE_TWILIO_AUTH_TOKEN_FILE")).getParent();
                secrets.add(Files.readString(sandboxDir.resolve("twilio-auth-token")).strip());

                JsonObject alice = post(http, port, "/v1/users", ADMIN, new JsonObject().put("name", "Alice").put("phone", PHONES.get(0)));
                JsonObject bob = post(http, port, "/v1/users", ADMIN, new JsonObject().put("name", "Bob"));
                JsonObject carol = post(http, port, "/v1/users", ADMIN, new JsonObject().put("name", "Carol").put("phone", PHONES.get(1)));
                JsonObject dave = post(http, port, "/v1/users", ADMIN, new JsonObject().put("name", "Dave"));
                JsonObject frank = post(http, port, "/v1/users", ADMIN, new JsonObject().put("name", "Frank").put("phone", PHONES.get(2)));
                JsonObject gina = post(http, port, "/v1/users", ADMIN, new JsonObject().put("name", "Gina").put("phone", PHONES.get(3)));
                for (JsonObject u : List.of(alice, bob, carol, dave, frank, gina)) {
                    secrets.add(u.getString("token"));
                }
                String a = alice.getString("token");
                post(http, port, "/v1/devices", bob.getString("token"), new JsonObject().put("platform", "apns").put("token", APNS_BOB));
                post(http, port, "/v1/devices", dave.getString("token"), new JsonObject().put("platform", "fcm").put("token", FCM_DAVE));
                post(http, port, "/v1/devices", frank.getString("token"), new JsonObject().put("platform", "apns").put("token", APNS_DEAD));
                platform.sandbox.apns().unregisteredTokens().add(APNS_DEAD);
                platform.sandbox.sms().optOut(PHONES.get(3));
                String gid = post(http, port, "/v1/groups", a, new JsonObject().put("name", "G").put("members", new JsonArray(List.of(
                        bob.getString("id"), carol.getString("id"), dave.getString("id"), frank.getString("id"), gina.getString("id")))))
                        .getString("id");
                for (int i = 0; i < 5; i++) {
                    post(http, port, "/v1/groups/" + gid + "/messages", a,
                            new JsonObject().put("source_guid", "m" + i).put("text", "call me at " + PHONES.get(0)));
                }
                // refused requests that carry secrets: a wrong token, a phone in a bad field, a device token in a bad body
                refused(http, port, "/v1/groups/" + gid + "/messages", a + "x", "{\"source_guid\":\"x\",\"text\":\"" + PHONES.get(1) + "\"}");
                refused(http, port, "/v1/users", ADMIN, "{\"name\":\"x\",\"phone\":\"" + PHONES.get(1) + "00000\"}");
                refused(http, port, "/v1/users", ADMIN + "0", "{\"name\":\"x\",\"phone\":\"" + PHONES.get(1) + "\"}");
                refused(http, port, "/v1/devices", a, "{\"platform\":\"apns\",\"token\":\"" + APNS_BOB + "\",\"token\":\"" + APNS_DEAD + "\"}");
                refused(http, port, "/v1/devices", a, "{\"platform\":\"fax\",\"token\":\"" + FCM_DAVE + "\"}");
                RawHttp.exchange(port, "POST /v1/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN
                        + "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n" + PHONES.get(2) + "\r\n0\r\n\r\n", Duration.ofSeconds(5));
                RawHttp.exchange(port, "GET /v1/groups/" + gid + " HTTP/1.2\r\nAuthorization: Bearer " + a + "\r\n\r\n", Duration.ofSeconds(5));
                EndToEndTest.eventually(() -> platform.sandbox.received().size() >= 15, "deliveries to Bob, Carol and Dave");
                EndToEndTest.eventually(() -> await(http.get(platform.pacer.port(), "127.0.0.1", "/metrics").send()).bodyAsString()
                        .contains("outcome=\"dead\",reason=\"Unregistered\""), "the dead token found out");
                Thread.sleep(500);
                http.close();
            }
            lines = log.lines();
        }
        assertFalse(lines.isEmpty(), "something was logged");
        for (String line : lines) {
            assertFalse(line.contains("\u001b"), "a terminal escape: " + line);
            assertFalse(line.contains("\r"), line);
            if (format.equals("json")) {
                JsonObject event = new JsonObject(line);
                assertTrue(event.containsKey("timestamp") && event.containsKey("level") && event.containsKey("message"), line);
            } else {
                assertTrue(CapturedLog.TEXT_LINE.matcher(line).matches(), "not a timed, levelled line: " + line);
            }
            for (String secret : secrets) {
                assertFalse(line.contains(secret), "a secret or token in the log: " + line);
            }
            for (String phone : Stream.concat(PHONES.stream(), Stream.of("15557771001", "15557771003")).toList()) {
                assertFalse(line.contains(phone), "a phone number in the log: " + line);
            }
            assertFalse(ANY_PHONE.matcher(line).find(), "something like a phone number in the log: " + line);
        }
    }

    static JsonObject post(WebClient http, int port, String path, String token, JsonObject body) {
        HttpResponse<Buffer> r = await(http.post(port, "127.0.0.1", path).putHeader("authorization", "Bearer " + token).sendJsonObject(body));
        assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.bodyAsString());
        return r.bodyAsJsonObject();
    }

    static void refused(WebClient http, int port, String path, String token, String body) {
        HttpResponse<Buffer> r = await(http.post(port, "127.0.0.1", path).putHeader("authorization", "Bearer " + token)
                .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(body)));
        assertEquals(4, r.statusCode() / 100, r.bodyAsString());
    }
}

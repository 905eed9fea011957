package io.groupwire.sandbox.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.sms.SmsEncoder;
import io.groupwire.sandbox.LocalServer;
import io.groupwire.sandbox.ReceivedDelivery;
import io.groupwire.sandbox.ReceivedLog;
import io.groupwire.sandbox.SandboxFaults;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox endpoint as any HTTP client sees it (the JDK's, independent of ours): valid requests,
 * Twilio's validation errors, and hostile input, each answered with a Twilio-shaped JSON body.
 */
class TwilioSandboxEndpointTest {
    private static final String SID = "AC0123456789abcdef0123456789abcdef";
    private static final String TOKEN = "sandbox-token";
    private static final String PATH = "/2010-04-01/Accounts/" + SID + "/Messages.json";
    private static final long NOW = 1_775_000_000_000L;

    private static Vertx vertx;
    private static ReceivedLog log;
    private static SandboxFaults faults;
    private static TwilioSandbox sandbox;
    private static LocalServer server;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        log = new ReceivedLog();
        faults = new SandboxFaults();
        sandbox = TwilioSandbox.create(log, faults, SID, TOKEN, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
        Router router = Router.router(vertx);
        sandbox.mount(router);
        server = LocalServer.start(vertx, router);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    void fresh() {
        log.clear();
        faults.clear();
    }

    private static String auth(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String form(String... kv) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(kv[i]).append('=').append(URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    private static HttpResponse<String> post(String path, String authorization, String contentType, byte[] body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(byte[] body) throws Exception {
        return post(PATH, auth(SID, TOKEN), "application/x-www-form-urlencoded", body);
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return post(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Checks a Twilio-shaped error answer and returns its message. */
    private static String assertError(HttpResponse<String> r, int status, int code) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonObject json = new JsonObject(r.body());
        assertEquals(code, json.getInteger("code"), r.body());
        assertEquals(status, json.getInteger("status"));
        assertEquals("https://www.twilio.com/docs/errors/" + code, json.getString("more_info"));
        assertEquals(0, log.size(), "a refused request records nothing");
        return json.getString("message");
    }

    @Test
    void aValidRequestIsAcceptedLikeTwilioAndRecorded() throws Exception {
        String body = "Ann: café at 8 {ok}";
        HttpResponse<String> r = post(form("To", "+15551230001", "From", "+15005550006", "Body", body));
        assertEquals(201, r.statusCode(), r.body());
        JsonObject json = new JsonObject(r.body());
        assertTrue(json.getString("sid").matches("SM[0-9a-f]{32}"));
        assertEquals("queued", json.getString("status"));
        assertEquals("+15551230001", json.getString("to"));
        assertEquals("+15005550006", json.getString("from"));
        assertEquals(body, json.getString("body"));
        assertEquals("1", json.getString("num_segments"));
        assertEquals(SID, json.getString("account_sid"));
        assertEquals(1, log.size());
        assertEquals(new ReceivedDelivery("sms", "+15551230001", null, body, NOW, log.all().get(0).from()), log.all().get(0));
    }

    @Test
    void numSegmentsComesFromTheEncoder() throws Exception {
        String gsm = "a".repeat(161);
        String ucs2 = "ж".repeat(71);
        assertEquals("2", new JsonObject(post(form("To", "+15551230001", "From", "+15005550006", "Body", gsm)).body())
                .getString("num_segments"));
        assertEquals("2", new JsonObject(post(form("To", "+15551230001", "From", "+15005550006", "Body", ucs2)).body())
                .getString("num_segments"));
        String emojis = "\uD83D\uDE00".repeat(1600);
        HttpResponse<String> r = post(form("To", "+15551230001", "From", "+15005550006", "Body", emojis));
        assertEquals(201, r.statusCode(), "1600 characters are allowed even as 3200 UTF-16 units");
        assertEquals(Integer.toString(SmsEncoder.standard().segments(emojis)), new JsonObject(r.body()).getString("num_segments"));
        assertEquals(3, log.size());
    }

    @Test
    void missingOrInvalidToIs21211() throws Exception {
        assertError(post(form("From", "+15005550006", "Body", "hi")), 400, 21211);
        assertError(post(form("To", "", "From", "+15005550006", "Body", "hi")), 400, 21211);
        assertError(post(form("To", "5551234", "From", "+15005550006", "Body", "hi")), 400, 21211);
        assertError(post(form("To", "+1555\u0000123", "From", "+15005550006", "Body", "hi")), 400, 21211);
        assertError(post(form("To", "+1555123\r\nX-Injected: 1", "From", "+15005550006", "Body", "hi")), 400, 21211);
        assertError(post(form("To", "+1" + "5".repeat(20), "From", "+15005550006", "Body", "hi")), 400, 21211);
        String twice = assertError(post(form("To", "+15551230001", "To", "+15551230002", "From", "+15005550006",
                "Body", "hi")), 400, 21211);
        assertTrue(twice.contains("once"), twice);
        assertError(post(""), 400, 21211);
    }

    @Test
    void missingOrInvalidFromIsRefused() throws Exception {
        assertError(post(form("To", "+15551230001", "Body", "hi")), 400, 21603);
        assertError(post(form("To", "+15551230001", "From", "Groupwire!", "Body", "hi")), 400, 21212);
    }

    @Test
    void missingBodyIs21602() throws Exception {
        assertError(post(form("To", "+15551230001", "From", "+15005550006")), 400, 21602);
        assertError(post(form("To", "+15551230001", "From", "+15005550006", "Body", "")), 400, 21602);
        assertError(post("To=%2B15551230001&From=%2B15005550006&Body"), 400, 21602);
    }

    @Test
    void aBodyOverSixteenHundredCharactersIs21617() throws Exception {
        assertEquals(201, post(form("To", "+15551230001", "From", "+15005550006", "Body", "x".repeat(1600))).statusCode());
        log.clear();
        assertError(post(form("To", "+15551230001", "From", "+15005550006", "Body", "x".repeat(1601))), 400, 21617);
    }

    @Test
    void controlCharactersInTheBodyAreRefused() throws Exception {
        for (String bad : new String[] {"a\u0000b", "bell\u0007", "esc\u001B[31m", "del\u007F", "c1\u0085"}) {
            assertError(post(form("To", "+15551230001", "From", "+15005550006", "Body", bad)), 400, 14103);
        }
        // the ones a text message may hold are fine
        assertEquals(201, post(form("To", "+15551230001", "From", "+15005550006", "Body", "a\tb\nc\r\nd\fe")).statusCode());
    }

    @Test
    void malformedPercentEncodingIsAnUnreadableRequest() throws Exception {
        for (String bad : new String[] {"To=%ZZ&From=%2B15005550006&Body=hi", "To=%2&Body=x", "Body=50%",
                "To=%2B1555%E0%A5"}) {
            String m = assertError(post(bad), 400, 20422);
            assertTrue(m.contains("percent") || m.contains("UTF-8"), m);
        }
        // Arabic-Indic digits are digits to Character.digit, not to a form decoder
        assertError(post("To=%\u0661\u0662&Body=x"), 400, 20422);
    }

    @Test
    void bytesThatAreNotUtf8AreAnUnreadableRequest() throws Exception {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes("To=%2B15551230001&From=%2B15005550006&Body=".getBytes(StandardCharsets.US_ASCII));
        raw.write(0xC3);
        raw.write(0x28); // an invalid two-byte sequence
        raw.write(0xFF);
        assertTrue(assertError(post(raw.toByteArray()), 400, 20422).contains("UTF-8"));
        // the same, percent-encoded
        assertTrue(assertError(post("To=%2B15551230001&From=%2B15005550006&Body=%C3%28%FF"), 400, 20422)
                .contains("UTF-8"));
        // an encoded lone surrogate (CESU) is not UTF-8 either
        assertError(post("To=%2B15551230001&From=%2B15005550006&Body=%ED%A0%BD"), 400, 20422);
    }

    @Test
    void rawUtf8IsReadEvenUnencoded() throws Exception {
        HttpResponse<String> r = post("To=%2B15551230001&From=%2B15005550006&Body=caf\u00e9 \u263A");
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("café ☺", log.all().get(0).payload());
    }

    @Test
    void aFiveMegabyteBodyIsRefusedWithoutHarm() throws Exception {
        byte[] huge = ("To=%2B15551230001&From=%2B15005550006&Body=" + "x".repeat(5 * 1024 * 1024))
                .getBytes(StandardCharsets.US_ASCII);
        String m = assertError(post(huge), 400, 20422);
        assertTrue(m.contains("larger than"), m);
        // and the sandbox still serves
        assertEquals(201, post(form("To", "+15551230001", "From", "+15005550006", "Body", "after")).statusCode());
    }

    @Test
    void aFloodOfFieldsIsRefused() throws Exception {
        String flood = "a=1&".repeat(5000) + "To=%2B15551230001&From=%2B15005550006&Body=hi";
        assertTrue(assertError(post(flood), 400, 20422).contains("fields"));
    }

    @Test
    void onlyFormBodiesAreRead() throws Exception {
        String json = "{\"To\":\"+15551230001\",\"From\":\"+15005550006\",\"Body\":\"hi\"}";
        assertError(post(PATH, auth(SID, TOKEN), "application/json", json.getBytes(StandardCharsets.UTF_8)), 400, 20422);
        assertError(post(PATH, auth(SID, TOKEN), "multipart/form-data; boundary=x",
                "--x\r\nContent-Disposition: form-data; name=\"To\"\r\n\r\n+1555\r\n--x--\r\n".getBytes(StandardCharsets.UTF_8)),
                400, 20422);
        // no content type at all is read as a form, as curl --data-binary would send it
        assertEquals(201, post(PATH, auth(SID, TOKEN), null,
                form("To", "+15551230001", "From", "+15005550006", "Body", "hi").getBytes(StandardCharsets.UTF_8)).statusCode());
    }

    @Test
    void wrongOrMissingCredentialsAre401WithoutRecording() throws Exception {
        byte[] ok = form("To", "+15551230001", "From", "+15005550006", "Body", "hi").getBytes(StandardCharsets.UTF_8);
        String form = "application/x-www-form-urlencoded";
        for (String authorization : new String[] {null, auth(SID, "wrong"), auth("AC1", TOKEN), auth(SID, TOKEN + "x"),
                "Basic !!!not-base64!!!", "Bearer " + TOKEN, "Basic " + "A".repeat(5000), auth(SID, "")}) {
            HttpResponse<String> r = post(PATH, authorization, form, ok);
            assertEquals("Authenticate", assertError(r, 401, 20003), String.valueOf(authorization));
            assertTrue(r.headers().firstValue("www-authenticate").isPresent());
        }
    }

    @Test
    void anotherAccountsPathIsNotFound() throws Exception {
        byte[] ok = form("To", "+15551230001", "From", "+15005550006", "Body", "hi").getBytes(StandardCharsets.UTF_8);
        assertError(post("/2010-04-01/Accounts/AC999/Messages.json", auth(SID, TOKEN),
                "application/x-www-form-urlencoded", ok), 404, 20404);
    }

    @Test
    void faultsAreActedOutAfterAuthentication() throws Exception {
        String ok = form("To", "+15551230001", "From", "+15005550006", "Body", "hi");
        faults.set("sms", new SandboxFaults.FaultSpec(0, 1, 9, 0, 0));
        HttpResponse<String> throttled = post(ok);
        assertError(throttled, 429, 20429);
        assertEquals("9", throttled.headers().firstValue("retry-after").orElse(null));
        faults.set("sms", new SandboxFaults.FaultSpec(1, 0, 1, 0, 0));
        assertError(post(ok), 500, 20500);
        faults.set("sms", new SandboxFaults.FaultSpec(0, 0, 1, 1, 0));
        try {
            post(ok);
            throw new AssertionError("a dropped connection gives no answer");
        } catch (java.io.IOException expected) {
            // the connection was closed without an answer
        }
        // credentials are checked before any fault
        faults.set("sms", new SandboxFaults.FaultSpec(1, 0, 1, 0, 0));
        assertError(post(PATH, auth(SID, "wrong"), "application/x-www-form-urlencoded",
                ok.getBytes(StandardCharsets.UTF_8)), 401, 20003);
        assertEquals(0, log.size());
    }

    @Test
    void behindARouterWideBodyHandlerItStillAnswersLikeTwilio() throws Exception {
        Router router = Router.router(vertx);
        router.route().handler(io.vertx.ext.web.handler.BodyHandler.create(false).setBodyLimit(1024));
        sandbox.mount(router);
        try (LocalServer other = LocalServer.start(vertx, router)) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(other.baseUrl() + PATH))
                    .header("Authorization", auth(SID, TOKEN))
                    .header("Content-Type", "application/x-www-form-urlencoded");
            HttpResponse<String> ok = http.send(b.POST(HttpRequest.BodyPublishers.ofString(
                    form("To", "+15551230001", "From", "+15005550006", "Body", "via body handler"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, ok.statusCode(), ok.body());
            assertEquals("via body handler", log.all().get(0).payload());
            log.clear();
            assertError(http.send(b.POST(HttpRequest.BodyPublishers.ofString("To=%ZZ")).build(),
                    HttpResponse.BodyHandlers.ofString()), 400, 20422);
            assertError(http.send(b.POST(HttpRequest.BodyPublishers.ofString("Body=" + "x".repeat(5000))).build(),
                    HttpResponse.BodyHandlers.ofString()), 400, 20422);
        }
    }
}

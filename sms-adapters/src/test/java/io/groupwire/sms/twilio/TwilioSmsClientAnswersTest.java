package io.groupwire.sms.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.delivery.Outcome;
import io.groupwire.core.delivery.Outcome.DeadDestination;
import io.groupwire.core.delivery.Outcome.Delivered;
import io.groupwire.core.delivery.Outcome.Failed;
import io.groupwire.core.delivery.Outcome.RetryLater;
import io.groupwire.core.sms.SmsEncoder;
import io.groupwire.sandbox.LocalServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a real local HTTP server that answers whatever each test scripts: every
 * mapping of docs/providers.md (Twilio; what all three have in common), and hostile answers (garbage, huge, wrong type, silent, cut).
 */
class TwilioSmsClientAnswersTest {
    private static final String SID = "AC00000000000000000000000000000001";
    private static final String TOKEN = "s3cret-token";
    private static final Instant NOW = Instant.parse("2026-04-03T12:00:00Z");

    private static Vertx vertx;
    private static LocalServer server;
    private static volatile Consumer<HttpServerRequest> script;
    private static final List<Captured> captured = new CopyOnWriteArrayList<>();
    private static final AtomicInteger requests = new AtomicInteger();

    record Captured(String method, String path, MultiMap headers, String body) {
    }

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = LocalServer.start(vertx, req -> {
            requests.incrementAndGet();
            req.body().onSuccess(body -> {
                captured.add(new Captured(req.method().name(), req.path(), req.headers(), body.toString(StandardCharsets.UTF_8)));
                script.accept(req);
            });
        });
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    void reset() {
        captured.clear();
        requests.set(0);
    }

    private static TwilioSettings settings(Duration timeout) {
        return new TwilioSettings(URI.create(server.baseUrl()), SID, TOKEN, "+15005550006", timeout, 8,
                Duration.ofSeconds(45));
    }

    private static Outcome send(Consumer<HttpServerRequest> answer) throws Exception {
        return send(answer, Duration.ofSeconds(5));
    }

    private static Outcome send(Consumer<HttpServerRequest> answer, Duration timeout) throws Exception {
        script = answer;
        try (TwilioSmsClient client = new TwilioSmsClient(vertx, settings(timeout), SmsEncoder.standard(),
                Clock.fixed(NOW, ZoneOffset.UTC))) {
            CompletableFuture<Outcome> f = client.send(Sms.to("+15551230001", "Ann", "hello"));
            Outcome o = f.get(10, TimeUnit.SECONDS);
            assertEquals(0, client.inFlight());
            return o;
        }
    }

    private static Consumer<HttpServerRequest> answer(int status, String body) {
        return answer(status, "application/json", body);
    }

    private static Consumer<HttpServerRequest> answer(int status, String contentType, String body) {
        return req -> req.response().setStatusCode(status).putHeader("content-type", contentType).end(body);
    }

    private static String error(int code, int status) {
        return "{\"code\":" + code + ",\"message\":\"m\",\"more_info\":\"https://www.twilio.com/docs/errors/" + code
                + "\",\"status\":" + status + "}";
    }

    @Test
    void theRequestIsTwiliosFormWithBasicAuth() throws Exception {
        Outcome o = send(answer(201, "{\"sid\":\"SMabc123\",\"status\":\"queued\"}"));
        assertEquals(new Delivered("SMabc123"), o);
        assertEquals(1, captured.size());
        Captured c = captured.get(0);
        assertEquals("POST", c.method());
        assertEquals("/2010-04-01/Accounts/" + SID + "/Messages.json", c.path());
        assertTrue(c.headers().get("content-type").startsWith("application/x-www-form-urlencoded"));
        assertEquals("Basic " + Base64.getEncoder().encodeToString((SID + ":" + TOKEN).getBytes(StandardCharsets.UTF_8)),
                c.headers().get("authorization"));
        assertEquals("To=%2B15551230001&From=%2B15005550006&Body=Ann%3A+hello", c.body());
    }

    @Test
    void aBaseUrlPathPrefixIsKept() throws Exception {
        script = answer(201, "{\"sid\":\"SM1\"}");
        TwilioSettings s = new TwilioSettings(URI.create(server.baseUrl() + "/proxy/twilio/"), SID, TOKEN, "+15005550006",
                Duration.ofSeconds(5), 4, Duration.ofSeconds(1));
        try (TwilioSmsClient client = new TwilioSmsClient(vertx, s)) {
            assertInstanceOf(Delivered.class, client.send(Sms.to("+15551230001", "A", "x")).get(10, TimeUnit.SECONDS));
        }
        assertEquals("/proxy/twilio/2010-04-01/Accounts/" + SID + "/Messages.json", captured.get(0).path());
    }

    @Test
    void anyAcceptanceIsDeliveredEvenWithoutAReadableSid() throws Exception {
        assertEquals(new Delivered("SM1"), send(answer(200, "{\"sid\":\"SM1\"}")));
        assertEquals(new Delivered(null), send(answer(201, "garbage{{{")));
        assertEquals(new Delivered(null), send(answer(201, "text/html", "<html>ok</html>")));
        assertEquals(new Delivered(null), send(answer(201, "{\"sid\":\"SM1; rm -rf /\"}")));
        assertEquals(new Delivered(null), send(answer(201, "{\"sid\":12345}")));
        assertEquals(new Delivered(null), send(answer(202, "")));
        assertEquals(new Delivered(null), send(answer(201, "[\"sid\",\"SM1\"]")));
    }

    @Test
    void invalidNotMobileAndOptedOutNumbersAreDeadDestinations() throws Exception {
        assertEquals(new DeadDestination("invalid_number", 0), send(answer(400, error(21211, 400))));
        assertEquals(new DeadDestination("not_mobile", 0), send(answer(400, error(21614, 400))));
        assertEquals(new DeadDestination("opted_out", 0), send(answer(400, error(21610, 400))));
        // a code sent as a string is still the code
        assertEquals(new DeadDestination("opted_out", 0), send(answer(400, "{\"code\":\"21610\"}")));
    }

    @Test
    void otherClientErrorsFailPermanently() throws Exception {
        assertEquals(new Failed("twilio_21617"), send(answer(400, error(21617, 400))));
        assertEquals(new Failed("twilio_21606"), send(answer(400, error(21606, 400))));
        assertEquals(new Failed("http_404"), send(answer(404, "")));
        assertEquals(new Failed("http_400"), send(answer(400, "{\"code\":123456789}")), "not a Twilio code");
        assertEquals(new Failed("http_400"), send(answer(400, "{\"code\":-2}")));
        assertEquals(new Failed("http_400"), send(answer(400, "{\"code\":2.1211e4}")));
        captured.clear();
        assertEquals(new Failed("http_302"), send(req -> req.response().setStatusCode(302)
                .putHeader("location", server.baseUrl() + "/elsewhere").end()));
        assertEquals(1, captured.size(), "a redirect is not followed: a second POST could send twice");
    }

    @Test
    void throttlingIsSafeToRetryAfterRetryAfter() throws Exception {
        Outcome o = send(req -> req.response().setStatusCode(429).putHeader("Retry-After", "12").end(error(20429, 429)));
        assertEquals(RetryLater.provider(Duration.ofSeconds(12), "throttled"), o);
        // an HTTP-date, against the client's clock
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(30).atZone(ZoneOffset.UTC));
        assertEquals(RetryLater.provider(Duration.ofSeconds(30), "throttled"),
                send(req -> req.response().setStatusCode(429).putHeader("Retry-After", date).end()));
        // code 20429 whatever the status, and a default when no Retry-After comes
        assertEquals(RetryLater.provider(Duration.ofSeconds(1), "throttled"), send(answer(400, error(20429, 400))));
        // garbage and absurd headers
        assertEquals(RetryLater.provider(Duration.ofSeconds(1), "throttled"),
                send(req -> req.response().setStatusCode(429).putHeader("Retry-After", "soon-ish").end()));
        assertEquals(RetryLater.provider(Duration.ofHours(1), "throttled"),
                send(req -> req.response().setStatusCode(429).putHeader("Retry-After", "99999999999999").end()));
        assertEquals(RetryLater.provider(Duration.ofSeconds(1), "throttled"),
                send(req -> req.response().setStatusCode(429).putHeader("Retry-After", "-5").end()));
    }

    @Test
    void aFullSenderQueueIsSafeToRetryLater() throws Exception {
        assertEquals(RetryLater.provider(Duration.ofSeconds(30), "sender_queue_full"), send(answer(400, error(21611, 400))));
    }

    @Test
    void rejectedCredentialsPauseTheProviderWithoutRetryingEachMessage() throws Exception {
        assertEquals(RetryLater.provider(Duration.ofSeconds(45), "auth_rejected"), send(answer(401, error(20003, 401))));
        assertEquals(RetryLater.provider(Duration.ofSeconds(45), "auth_rejected"), send(answer(403, "Forbidden")));
    }

    @Test
    void serverErrorsMayHaveSent() throws Exception {
        RetryLater r = assertInstanceOf(RetryLater.class, send(answer(500, error(20500, 500))));
        assertTrue(r.maybeSent());
        assertEquals("server_error", r.reason());
        RetryLater unavailable = assertInstanceOf(RetryLater.class, send(req -> req.response().setStatusCode(503)
                .putHeader("content-type", "text/html").putHeader("Retry-After", "4").end("<h1>Service Unavailable</h1>")));
        assertTrue(unavailable.maybeSent());
        assertEquals(Duration.ofSeconds(4), unavailable.delay());
    }

    @Test
    void aHugeAnswerIsCutShortAndStillMapped() throws Exception {
        String junk = "x".repeat(5 * 1024 * 1024);
        long start = System.nanoTime();
        assertEquals(new Delivered(null), send(answer(201, junk)));
        // the code comes before the damage: the streaming parser keeps it
        assertEquals(new DeadDestination("invalid_number", 0),
                send(answer(400, "{\"code\":21211,\"message\":\"" + junk + "\"}")));
        assertEquals(new Delivered("SM9"), send(answer(201, "{\"sid\":\"SM9\",\"pad\":\"" + junk + "\"}")));
        assertEquals(new Failed("http_400"), send(answer(400, "[" + "[".repeat(100_000))));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 8000, "a few seconds at most");
    }

    @Test
    void deeplyNestedOrOddJsonIsJustUnreadable() throws Exception {
        String deep = "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + ",\"code\":21211}";
        assertEquals(new Failed("http_400"), send(answer(400, deep)), "past Jackson's nesting limit nothing more is read");
        assertEquals(new DeadDestination("invalid_number", 0),
                send(answer(400, "{\"nested\":{\"code\":21610},\"code\":21211}")), "only the top-level code counts");
        assertEquals(new Failed("http_400"), send(answer(400, "null")));
        assertEquals(new Failed("http_400"), send(answer(400, "\u0000\u0001\u0002")));
    }

    @Test
    void aSilentServerTimesOutAsMaybeSent() throws Exception {
        long start = System.nanoTime();
        RetryLater r = assertInstanceOf(RetryLater.class, send(req -> { }, Duration.ofMillis(300)));
        long took = (System.nanoTime() - start) / 1_000_000;
        assertEquals("timeout", r.reason());
        assertTrue(r.maybeSent());
        assertTrue(took < 3000, took + " ms");
    }

    @Test
    void aStatusThatArrivedBeforeTheBodyStalledStillCounts() throws Exception {
        Outcome o = send(req -> req.response().setStatusCode(201).setChunked(true).write("{\"sid\":\"SM7\""),
                Duration.ofMillis(400));
        assertEquals(new Delivered("SM7"), o, "201 was seen: resending would send twice; the sid came before the stall");
        Outcome throttled = send(req -> req.response().setStatusCode(429).putHeader("Retry-After", "3").setChunked(true)
                .write("{"), Duration.ofMillis(400));
        assertEquals(RetryLater.provider(Duration.ofSeconds(3), "throttled"), throttled);
    }

    @Test
    void aConnectionClosedWithoutAnAnswerMayHaveSent() throws Exception {
        RetryLater r = assertInstanceOf(RetryLater.class, send(req -> req.connection().close()));
        assertEquals("connection_lost", r.reason());
        assertTrue(r.maybeSent());
    }

    @Test
    void aConnectionClosedMidAnswerMapsTheStatus() throws Exception {
        Outcome o = send(req -> {
            req.response().setStatusCode(400).putHeader("content-length", "1000").write(Buffer.buffer("{\"code\":21610,"));
            vertx.setTimer(50, id -> req.connection().close());
        });
        assertEquals(new DeadDestination("opted_out", 0), o);
    }

    @Test
    void anAnswerThatIsNotHttpMayHaveSent() throws Exception {
        // a raw socket speaking nonsense instead of HTTP
        try (java.net.ServerSocket raw = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (java.net.Socket s = raw.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    s.getOutputStream().write("SMTP READY\r\n\u0000\u0001garbage\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                    Thread.sleep(200);
                } catch (Exception ignored) {
                    // the test asserts on the client's side
                }
            });
            t.start();
            TwilioSettings s = new TwilioSettings(URI.create("http://127.0.0.1:" + raw.getLocalPort()), SID, TOKEN,
                    "+15005550006", Duration.ofSeconds(2), 2, Duration.ofSeconds(1));
            try (TwilioSmsClient client = new TwilioSmsClient(vertx, s)) {
                RetryLater nonsense = assertInstanceOf(RetryLater.class,
                        client.send(Sms.to("+15551230001", "A", "x")).get(10, TimeUnit.SECONDS));
                assertTrue(nonsense.maybeSent(), "the request was written: " + nonsense);
            }
            t.join(2000);
        }
    }

    @Test
    void answersAreMappedWithoutTheAuthTokenInAnyReason() throws Exception {
        Outcome o = send(answer(400, "{\"code\":21211,\"message\":\"" + TOKEN + "\"}"));
        assertEquals(new DeadDestination("invalid_number", 0), o);
        assertFalse(o.toString().contains(TOKEN), "provider text never reaches reasons (metrics labels, logs)");
    }
}

package io.groupwire.push.fcm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.delivery.Outcome;
import io.groupwire.core.delivery.Outcome.Scope;
import io.groupwire.core.message.Channel;
import io.groupwire.push.SandboxSettings;
import io.groupwire.push.TestDeliveries;
import io.groupwire.sandbox.fcm.FcmSandbox;
import io.groupwire.sandbox.fcm.FcmTestServer;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FCM client against a local server that plays FCM with scripted answers (the sandbox's token
 * endpoint, a script on {@code messages:send}): each answer in docs/providers.md (FCM), and hostile ones.
 */
class FcmAnswersTest {
    @TempDir
    static Path credentials;
    static Vertx vertx;
    static FcmTestServer server;
    static FcmProviderClient client;
    static volatile Handler<RoutingContext> script;
    static final AtomicInteger sends = new AtomicInteger();
    static final Buffer TEN_MEGABYTES = Buffer.buffer(new byte[10 * 1024 * 1024]);

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = new FcmTestServer(vertx);
        server.router().post("/v1/projects/groupwire-sandbox/messages:send").handler(ctx -> {
            sends.incrementAndGet();
            script.handle(ctx);
        });
        FcmSandbox sandbox = server.mountSandbox(credentials, FcmSandbox.DEFAULT_TOKEN_LIFETIME);
        client = new FcmProviderClient(vertx, SandboxSettings.fcm(sandbox).withLimits(Duration.ofSeconds(3), 100));
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @BeforeEach
    void clear() {
        sends.set(0);
    }

    static void answer(int status, String contentType, String body, String... headers) {
        script = ctx -> {
            ctx.response().setStatusCode(status);
            if (contentType != null) {
                ctx.response().putHeader("content-type", contentType);
            }
            for (int i = 0; i < headers.length; i += 2) {
                ctx.response().putHeader(headers[i], headers[i + 1]);
            }
            ctx.response().end(body);
        };
    }

    static String fcmError(int code, String status, String errorCode, String message, String field) {
        String details = errorCode == null ? "[]" : "[{\"@type\":\"type.googleapis.com/google.firebase.fcm.v1.FcmError\","
                + "\"errorCode\":\"" + errorCode + "\"}"
                + (field == null ? "" : ",{\"@type\":\"type.googleapis.com/google.rpc.BadRequest\",\"fieldViolations\":"
                + "[{\"field\":\"" + field + "\",\"description\":\"bad\"}]}") + "]";
        return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\"" + status
                + "\",\"details\":" + details + "}}";
    }

    static final String JSON = "application/json; charset=UTF-8";

    static Outcome send() throws Exception {
        return client.send(TestDeliveries.to(Channel.FCM, "fcm_token_0123456789abcdef")).get(10, TimeUnit.SECONDS);
    }

    @Test
    void invalidArgumentOnTheTokenIsDeadOtherwiseFailed() throws Exception {
        answer(400, JSON, fcmError(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "Invalid value", "message.token"));
        assertEquals("INVALID_ARGUMENT", assertInstanceOf(Outcome.DeadDestination.class, send()).reason());

        // what FCM really sends for a bad token: no field violation, only the message
        answer(400, JSON, fcmError(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT",
                "The registration token is not a valid FCM registration token", null));
        assertInstanceOf(Outcome.DeadDestination.class, send());

        answer(400, JSON, fcmError(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "Invalid value", "message.android.ttl"));
        assertEquals(new Outcome.Failed("INVALID_ARGUMENT"), send());
    }

    @Test
    void unregisteredAndSenderMismatchAreDead() throws Exception {
        answer(404, JSON, fcmError(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found.", null));
        assertEquals("UNREGISTERED", assertInstanceOf(Outcome.DeadDestination.class, send()).reason());

        answer(403, JSON, fcmError(403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH", "SenderId mismatch", null));
        assertEquals("SENDER_ID_MISMATCH", assertInstanceOf(Outcome.DeadDestination.class, send()).reason());
    }

    @Test
    void aNotFoundWithoutUnregisteredIsAConfigurationProblemNotADeadToken() throws Exception {
        answer(404, "text/html", "<html>Not Found</html>");
        Outcome.RetryLater retry = assertInstanceOf(Outcome.RetryLater.class, send());
        assertEquals(Scope.PROVIDER, retry.scope());
        assertEquals(FcmAnswers.CREDENTIALS_DELAY, retry.delay());
    }

    @Test
    void quotaHonoursRetryAfterWithASixtySecondFloorWhenAbsent() throws Exception {
        String quota = fcmError(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", "Quota exceeded", null);
        answer(429, JSON, quota);
        Outcome.RetryLater none = assertInstanceOf(Outcome.RetryLater.class, send());
        assertEquals(Scope.PROVIDER, none.scope());
        assertEquals(Duration.ofSeconds(60), none.delay());
        assertEquals("QUOTA_EXCEEDED", none.reason());

        answer(429, JSON, quota, "retry-after", "120");
        assertEquals(Duration.ofSeconds(120), ((Outcome.RetryLater) send()).delay());

        String date = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(300).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        answer(429, JSON, quota, "retry-after", date);
        long seconds = ((Outcome.RetryLater) send()).delay().toSeconds();
        assertTrue(seconds >= 290 && seconds <= 300, Long.toString(seconds));

        answer(429, JSON, quota, "retry-after", "soon, maybe");
        assertEquals(Duration.ofSeconds(60), ((Outcome.RetryLater) send()).delay());

        answer(429, JSON, quota, "retry-after", "99999999999999");
        assertEquals(Duration.ofHours(1), ((Outcome.RetryLater) send()).delay());

        answer(429, "text/plain", "slow down");
        assertEquals(Duration.ofSeconds(60), ((Outcome.RetryLater) send()).delay());
    }

    @Test
    void serverErrorsHoldTheProviderHonouringRetryAfter() throws Exception {
        answer(503, JSON, fcmError(503, "UNAVAILABLE", "UNAVAILABLE", "try later", null), "retry-after", "5");
        Outcome.RetryLater unavailable = assertInstanceOf(Outcome.RetryLater.class, send());
        assertEquals(new Outcome.RetryLater(Duration.ofSeconds(5), "UNAVAILABLE", Scope.PROVIDER, false), unavailable);

        answer(500, JSON, fcmError(500, "INTERNAL", "INTERNAL", "oops", null));
        assertEquals(new Outcome.RetryLater(Duration.ZERO, "INTERNAL", Scope.PROVIDER, false), send());

        answer(502, "text/html", "<html>Bad Gateway</html>");
        assertEquals(new Outcome.RetryLater(Duration.ZERO, "http_502", Scope.PROVIDER, false), send());
    }

    @Test
    void unauthenticatedTwiceHoldsTheProviderAfterExactlyOneTokenRefresh() throws Exception {
        send200();
        int fetches = client.tokenFetches();
        answer(401, JSON, fcmError(401, "UNAUTHENTICATED", null, "Request had invalid authentication credentials.", null));

        Outcome.RetryLater retry = assertInstanceOf(Outcome.RetryLater.class, send());

        assertEquals("UNAUTHENTICATED", retry.reason());
        assertEquals(Scope.PROVIDER, retry.scope());
        assertEquals(fetches + 1, client.tokenFetches());
        assertEquals(2, sends.get());
    }

    @Test
    void thirdPartyAuthErrorsHoldTheDeviceAndKeepOurToken() throws Exception {
        send200();
        int fetches = client.tokenFetches();
        answer(401, JSON, fcmError(401, "UNAUTHENTICATED", "THIRD_PARTY_AUTH_ERROR", "APNs auth failed", null));

        Outcome.RetryLater retry = assertInstanceOf(Outcome.RetryLater.class, send());

        assertEquals("THIRD_PARTY_AUTH_ERROR", retry.reason());
        assertEquals(Scope.DESTINATION, retry.scope());
        assertEquals(fetches, client.tokenFetches());
        assertEquals(1, sends.get());
    }

    @Test
    void unspecifiedErrorsRetryAndOtherClientErrorsFail() throws Exception {
        answer(500, JSON, fcmError(500, "UNKNOWN", "UNSPECIFIED_ERROR", "?", null));
        assertEquals(Outcome.RetryLater.destination(Duration.ZERO, "UNSPECIFIED_ERROR"), send());

        answer(409, JSON, fcmError(409, "ALREADY_EXISTS", null, "?", null));
        assertEquals(new Outcome.Failed("ALREADY_EXISTS"), send());

        answer(302, null, "", "location", "http://elsewhere.example/");
        assertEquals(new Outcome.Failed("http_302"), send());
    }

    @Test
    void garbageAndHostileErrorBodiesMapByStatus() throws Exception {
        answer(400, JSON, "{\"error\": ");
        assertEquals(new Outcome.Failed("http_400"), send());

        answer(400, JSON, "{\"error\": \"INVALID_ARGUMENT\"}");
        assertEquals(new Outcome.Failed("http_400"), send());

        answer(400, JSON, "{\"error\": {\"status\": 7, \"details\": {\"@type\": []}}}");
        assertEquals(new Outcome.Failed("http_400"), send());

        answer(400, JSON, "[".repeat(60_000));
        assertEquals(new Outcome.Failed("http_400"), send());

        answer(400, JSON, fcmError(400, "X".repeat(10_000), "Y".repeat(10_000), "Z", null));
        assertEquals(new Outcome.Failed("http_400"), send());

        // a body claiming UNREGISTERED must not kill a token unless it really is FCM's JSON
        answer(404, "text/plain", fcmError(404, "NOT_FOUND", "UNREGISTERED", "gone", null));
        assertInstanceOf(Outcome.RetryLater.class, send());

        script = ctx -> ctx.response().setStatusCode(400).putHeader("content-type", JSON).end(TEN_MEGABYTES);
        assertEquals(new Outcome.Failed("http_400"), send());
    }

    @Test
    void successThatCannotBeReadIsRetriedAsMaybeSent() throws Exception {
        Outcome expected = new Outcome.RetryLater(Duration.ZERO, "fcm_unreadable_success", Scope.PROVIDER, true);

        answer(200, JSON, "not json at all");
        assertEquals(expected, send());

        answer(200, "text/html", "{\"name\":\"projects/groupwire-sandbox/messages/1\"}");
        assertEquals(expected, send());

        answer(200, JSON, "{\"name\": 42}");
        assertEquals(expected, send());

        long start = System.nanoTime();
        script = ctx -> ctx.response().putHeader("content-type", JSON).end(TEN_MEGABYTES);
        assertEquals(expected, send());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3));

        send200();
    }

    @Test
    void aResetOrClosedExchangeIsMaybeSent() throws Exception {
        script = ctx -> ctx.response().reset();
        Outcome.RetryLater reset = assertInstanceOf(Outcome.RetryLater.class, send());
        assertTrue(reset.maybeSent());

        script = ctx -> ctx.request().connection().close();
        Outcome.RetryLater closed = assertInstanceOf(Outcome.RetryLater.class, send());
        assertTrue(closed.maybeSent());

        send200();
    }

    @Test
    void aServerThatNeverAnswersTimesOutAsMaybeSent() throws Exception {
        script = ctx -> {
        };
        Outcome.RetryLater retry = assertInstanceOf(Outcome.RetryLater.class, send());
        assertEquals("fcm_timeout", retry.reason());
        assertTrue(retry.maybeSent());
        assertEquals(0, client.inFlight());
    }

    private static void send200() throws Exception {
        answer(200, JSON, "{\"name\":\"projects/groupwire-sandbox/messages/0:1%ab\"}");
        assertEquals(new Outcome.Delivered("projects/groupwire-sandbox/messages/0:1%ab"), send());
        assertFalse(sends.get() == 0);
        sends.set(0);
    }
}

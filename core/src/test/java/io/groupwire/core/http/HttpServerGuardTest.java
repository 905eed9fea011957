package io.groupwire.core.http;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.testing.RawHttp;
import io.groupwire.core.testing.RawHttp.Answer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A guarded server refuses what Netty's decoder refuses with a 4xx JSON error, and cuts slow clients off. */
class HttpServerGuardTest {
    static final Duration BOUND = Duration.ofMillis(1200);
    static final int PER_ADDRESS = 5;
    static Vertx vertx;
    static HttpServer server;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.get("/health").handler(ctx -> ctx.response().end("{\"status\":\"up\"}"));
        router.post("/echo").handler(BodyHandler.create()).handler(ctx -> ctx.response().end(ctx.body().buffer()));
        BrokenRequests.answerQuietly(router);
        HttpServerGuard guard = new HttpServerGuard("test", new HttpLimits(BOUND, BOUND, Duration.ofSeconds(30), PER_ADDRESS));
        server = await(guard.create(vertx).requestHandler(router).listen(0, "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        await(vertx.close());
    }

    static Answer exchange(String request) throws Exception {
        return RawHttp.exchange(server.actualPort(), request, Duration.ofSeconds(3));
    }

    static void assertRefused(Answer a, int status, String code, String what) {
        assertEquals(status, a.status(), what + ": " + a);
        assertEquals(code, new JsonObject(a.body()).getJsonObject("error").getString("code"), what);
        assertTrue(a.head().toLowerCase().contains("connection: close"), what);
    }

    @Test
    void malformedRequestsGetA4xxWithAJsonError() throws Exception {
        Map<String, Integer> cases = new LinkedHashMap<>();
        cases.put("GET /health HTTP/1.1\r\n\r\n", 400);
        cases.put("GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
        cases.put("GET /health HTTP/1.2\r\nHost: x\r\n\r\n", 505);
        cases.put("GET /health HTTP/2.0\r\nHost: x\r\n\r\n", 505);
        cases.put("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505);
        cases.put("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", 400);
        cases.put("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n", 400);
        cases.put("GET /health HTTP/1.1\r\nHost: x\r\nbad header line\r\n\r\n", 400);
        cases.put("GET /health HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n", 400);
        cases.put("GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
        cases.put("GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400);
        cases.put("GARBAGE\r\n\r\n", 400);
        cases.put("GET /health HTTP/1.1\r\nHost: x\r\nX: " + "a".repeat(10_000) + "\r\n\r\n", 431);
        cases.put("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414);
        for (Map.Entry<String, Integer> c : cases.entrySet()) {
            String what = c.getKey().substring(0, Math.min(60, c.getKey().length())).replace("\r\n", "|");
            Answer a = exchange(c.getKey());
            int code = c.getValue();
            assertRefused(a, code, switch (code) {
                case 414 -> "uri_too_long";
                case 431 -> "headers_too_large";
                case 505 -> "http_version_not_supported";
                default -> "bad_request";
            }, what);
        }
        // HTTP/1.0 needs no Host
        assertEquals(200, exchange("GET /health HTTP/1.0\r\n\r\n").status());
    }

    @Test
    void aRefusalOfAPipelinedRequestWaitsForTheAnswerBeforeIt() throws Exception {
        try (RawHttp c = RawHttp.connect(server.actualPort(), "127.0.0.1")) {
            c.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.2\r\nHost: x\r\n\r\n");
            assertEquals(200, c.answer(Duration.ofSeconds(3)).status());
            assertEquals(505, c.answer(Duration.ofSeconds(3)).status());
            assertTrue(c.closedWithin(Duration.ofSeconds(2)));
        }
    }

    @Test
    void slowHeadsAndBodiesAreCutOffAfterTheBoundWhileOthersAreServed() throws Exception {
        int port = server.actualPort();
        List<RawHttp> slow = new ArrayList<>();
        try {
            RawHttp silent = RawHttp.connect(port, "127.0.0.11");
            RawHttp trickle = RawHttp.connect(port, "127.0.0.12");
            trickle.send("GET /health HTTP/1.1\r\nHost: x\r\n");
            RawHttp chunked = RawHttp.connect(port, "127.0.0.13");
            chunked.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            RawHttp slowBody = RawHttp.connect(port, "127.0.0.14");
            slowBody.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc");
            slow.addAll(List.of(silent, trickle, chunked, slowBody));
            long start = System.nanoTime();
            while (System.nanoTime() - start < BOUND.toNanos() / 2) {
                // each keeps sending, but never finishes
                trickle.send("X: y\r\n");
                chunked.send("1\r\na\r\n");
                slowBody.send("d");
                long asked = System.nanoTime();
                assertEquals(200, exchange("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").status());
                assertTrue(System.nanoTime() - asked < BOUND.toNanos() / 2, "an honest request is answered well within the bound");
                Thread.sleep(100);
            }
            for (RawHttp c : slow) {
                Answer a = c.answer(BOUND.multipliedBy(3));
                assertRefused(a, 408, "request_timeout", "a slow client");
                assertTrue(c.closedWithin(Duration.ofSeconds(1)));
            }
            assertTrue(System.nanoTime() - start < BOUND.multipliedBy(3).toNanos(), "cut off soon after the bound");
        } finally {
            for (RawHttp c : slow) {
                c.close();
            }
        }
    }

    @Test
    void oneAddressHoldsABoundedNumberOfConnections() throws Exception {
        List<RawHttp> held = new ArrayList<>();
        try {
            for (int i = 0; i < PER_ADDRESS; i++) {
                held.add(RawHttp.connect(server.actualPort(), "127.0.0.21"));
            }
            Thread.sleep(100);
            try (RawHttp extra = RawHttp.connect(server.actualPort(), "127.0.0.21")) {
                assertRefused(extra.answer(Duration.ofSeconds(2)), 429, "too_many_connections", "one too many");
            }
            try (RawHttp other = RawHttp.connect(server.actualPort(), "127.0.0.22")) {
                other.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(200, other.answer(Duration.ofSeconds(2)).status(), "another address is served");
            }
            held.remove(0).close();
            Thread.sleep(200);
            try (RawHttp again = RawHttp.connect(server.actualPort(), "127.0.0.21")) {
                again.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
                Answer a = again.answer(Duration.ofSeconds(2));
                assertEquals(200, a.status(), "a closed connection frees its place: " + a);
                assertFalse(a.closed());
            }
        } finally {
            for (RawHttp c : held) {
                c.close();
            }
        }
    }
}

package io.groupwire.deploy;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.groupwire.core.testing.RawHttp;
import io.groupwire.core.testing.RawHttp.Answer;
import io.groupwire.core.testing.TestRedis;
import io.groupwire.sandbox.ReceivedDelivery;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Redis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand generated hostile requests ({@link HostileRequests}, seeded: the seed is printed and
 * {@code -Dgroupwire.hostile.seed} replays a run, {@code -Dgroupwire.hostile.requests} changes the
 * count) against the gateway and every management port of a running platform, with honest sends
 * mixed in. Nothing answers 5xx (but 505 to an HTTP version other than 1.x) or fails to answer, every service stays healthy, the log shows no
 * stack trace and no error, refusals are logged at a bounded rate, and every message accepted
 * meanwhile (honest or not) reaches each member once.
 */
class HostileTrafficTest {
    static final long DEFAULT_SEED = 0x6777_1212L;
    static final int HONEST_EVERY = 20;
    static final String APNS_BOB = "b1".repeat(32);
    static final String FCM_DAVE = "dave-hostile:" + "Hq7_".repeat(30);
    static final String CAROL_PHONE = "+15558880003";
    static final Pattern FOLDED_STACK_FRAME = Pattern.compile("\\| at [\\w$.]+\\(");

    @Test
    void tenThousandHostileRequestsCostNothing() throws Exception {
        long seed = Long.getLong("groupwire.hostile.seed", DEFAULT_SEED);
        int total = Integer.getInteger("groupwire.hostile.requests", 10_000);
        System.err.println("hostile traffic: " + total + " requests from seed " + seed + " (replay with -Dgroupwire.hostile.seed=" + seed + ")");
        Redis r = TestRedis.client(Vertx.vertx());
        TestRedis.flushAll(r);
        r.close();
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, String> accepted = new ConcurrentHashMap<>();
        List<String> lines;
        long started;
        long elapsedMs;
        try (CapturedLog log = new CapturedLog("text", Level.INFO); Platform platform = new Platform(
                // a loaded machine must not turn a slow Redis answer into a 503: this test is about input, not latency
                Map.of("GROUPWIRE_REDIS_TIMEOUT", "15s"))) {
            WebClient http = WebClient.create(platform.vertx);
            int gw = platform.gateway.port();
            JsonObject alice = LogHygieneTest.post(http, gw, "/v1/users", Platform.ADMIN, new JsonObject().put("name", "Alice"));
            JsonObject bob = LogHygieneTest.post(http, gw, "/v1/users", Platform.ADMIN, new JsonObject().put("name", "Bob"));
            JsonObject carol = LogHygieneTest.post(http, gw, "/v1/users", Platform.ADMIN, new JsonObject().put("name", "Carol").put("phone", CAROL_PHONE));
            JsonObject dave = LogHygieneTest.post(http, gw, "/v1/users", Platform.ADMIN, new JsonObject().put("name", "Dave"));
            JsonObject mallory = LogHygieneTest.post(http, gw, "/v1/users", Platform.ADMIN, new JsonObject().put("name", "Mallory"));
            JsonObject eve = LogHygieneTest.post(http, gw, "/v1/users", Platform.ADMIN, new JsonObject().put("name", "Eve"));
            LogHygieneTest.post(http, gw, "/v1/devices", bob.getString("token"), new JsonObject().put("platform", "apns").put("token", APNS_BOB));
            LogHygieneTest.post(http, gw, "/v1/devices", dave.getString("token"), new JsonObject().put("platform", "fcm").put("token", FCM_DAVE));
            String honestGroup = LogHygieneTest.post(http, gw, "/v1/groups", alice.getString("token"), new JsonObject().put("name", "Honest")
                    .put("members", new JsonArray(List.of(bob.getString("id"), carol.getString("id"), dave.getString("id"))))).getString("id");
            String attackerGroup = LogHygieneTest.post(http, gw, "/v1/groups", mallory.getString("token"), new JsonObject().put("name", "Attackers")
                    .put("members", new JsonArray(List.of(eve.getString("id"))))).getString("id");
            http.close();
            List<Integer> management = List.of(platform.transport.port(), platform.pacer.port(), platform.sandbox.port());
            HostileRequests generator = new HostileRequests(seed, new HostileRequests.Targets(gw, management, honestGroup,
                    alice.getString("token"), attackerGroup, mallory.getString("token"), List.of(mallory.getString("id"), eve.getString("id")),
                    Platform.ADMIN));

            List<HostileRequests.Request> requests = new ArrayList<>(total);
            for (int i = 0; i < total; i++) {
                requests.add(i % HONEST_EVERY == 0
                        ? new HostileRequests.Request(gw, HostileRequests.http("POST", "/v1/groups/" + honestGroup + "/messages",
                                alice.getString("token"), "application/json", new JsonObject().put("source_guid", "honest-" + i)
                                        .put("text", "honest message " + i).encode().getBytes(StandardCharsets.UTF_8)), true, "honest")
                        : generator.next());
            }
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            AtomicInteger honestAccepted = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            started = System.nanoTime();
            List<Future<Integer>> answers = new ArrayList<>();
            for (HostileRequests.Request request : requests) {
                answers.add(pool.submit(() -> {
                    Answer a = RawHttp.exchange(request.port(), request.bytes(), Duration.ofSeconds(15));
                    String line = new String(request.bytes(), StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
                    // 505 is the answer to a version other than HTTP/1.x, and only to that
                    boolean versionRefused = a.status() == 505 && !line.endsWith(" HTTP/1.1") && !line.endsWith(" HTTP/1.0");
                    if (a.status() == 0 || (a.status() >= 500 && !versionRefused)) {
                        problems.add(request.label() + " -> " + a.status() + " on port " + request.port() + ": "
                                + line.substring(0, Math.min(120, line.length())) + " | " + a.body());
                    }
                    if (request.asHonestSender() && a.status() == 202) {
                        JsonObject m = new JsonObject(a.body());
                        accepted.put(m.getString("id"), textOf(request.bytes()));
                        if (request.label().equals("honest")) {
                            honestAccepted.incrementAndGet();
                        }
                    }
                    return a.status();
                }));
            }
            for (Future<Integer> f : answers) {
                statuses.merge(f.get(2, TimeUnit.MINUTES), 1, Integer::sum);
            }
            pool.shutdown();
            elapsedMs = (System.nanoTime() - started) / 1_000_000;
            System.err.println("hostile traffic: answered in " + elapsedMs + " ms, statuses " + statuses + ", accepted " + accepted.size()
                    + " (" + honestAccepted.get() + " honest)");
            assertTrue(problems.isEmpty(), problems.size() + " requests got a 5xx or no answer, e.g. "
                    + problems.stream().limit(5).toList());
            assertEquals(total / HONEST_EVERY, honestAccepted.get(), "every honest send was accepted");

            WebClient check = WebClient.create(platform.vertx);
            for (int port : List.of(gw, platform.transport.port(), platform.pacer.port(), platform.sandbox.port())) {
                HttpResponse<Buffer> health = await(check.get(port, "127.0.0.1", "/health").send());
                assertEquals(200, health.statusCode(), "port " + port + ": " + health.bodyAsString());
                assertEquals("up", health.bodyAsJsonObject().getString("status"));
            }
            check.close();

            // every accepted message reaches Bob (APNs), Dave (FCM) and Carol (SMS) once
            EndToEndTest.eventually(() -> platform.sandbox.received().size() >= 3 * accepted.size(), "three deliveries per accepted message");
            Thread.sleep(500);
            List<ReceivedDelivery> received = platform.sandbox.received().all();
            for (String push : List.of(APNS_BOB, FCM_DAVE)) {
                Map<String, Long> perMessage = received.stream().filter(d -> d.address().equals(push))
                        .collect(Collectors.groupingBy(ReceivedDelivery::messageId, Collectors.counting()));
                Map<String, String> missing = new TreeMap<>(accepted);
                missing.keySet().removeAll(perMessage.keySet());
                List<String> extra = perMessage.keySet().stream().filter(id -> !accepted.containsKey(id)).toList();
                assertTrue(missing.isEmpty() && extra.isEmpty(), "each accepted message, and only those, to " + push
                        + ": missing " + missing + ", unknown " + extra);
                assertTrue(perMessage.values().stream().allMatch(n -> n == 1), "once each to " + push);
            }
            Map<String, Long> smsTexts = received.stream().filter(d -> d.address().equals(CAROL_PHONE))
                    .collect(Collectors.groupingBy(ReceivedDelivery::payload, Collectors.counting()));
            Map<String, Long> expected = accepted.values().stream()
                    .collect(Collectors.groupingBy(text -> "Alice: " + text, Collectors.counting()));
            assertEquals(expected, smsTexts, "each accepted message once by SMS");
            lines = log.lines();
        }
        for (String line : lines) {
            assertFalse(FOLDED_STACK_FRAME.matcher(line).find(), "a stack trace in the log: " + line);
            assertFalse(line.contains(" ERROR "), "an error in the log: " + line);
        }
        long refusalLines = lines.stream().filter(l -> l.contains("HttpServerGuard")).count();
        // one line per service per 10 s at most
        long bound = 4 * (elapsedMs / 10_000 + 2);
        assertTrue(refusalLines <= bound, refusalLines + " refusal lines for " + total + " requests in " + elapsedMs + " ms");
    }

    private static String textOf(byte[] request) {
        String raw = new String(request, StandardCharsets.UTF_8);
        try {
            return new JsonObject(raw.substring(raw.indexOf("\r\n\r\n") + 4).replaceFirst("^\uFEFF", "")).getString("text");
        } catch (DecodeException | ClassCastException e) {
            return "?";
        }
    }

}

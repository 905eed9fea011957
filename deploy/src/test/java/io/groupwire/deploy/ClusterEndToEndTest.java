package io.groupwire.deploy;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.Shards;
import io.groupwire.core.testing.RedisCluster;
import io.groupwire.sandbox.ReceivedDelivery;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole platform in one JVM against a real Redis Cluster (three masters, three replicas):
 * messages sent over HTTP reach every other member once, counted at the sandbox providers, also
 * when a master dies while messages are flowing and its replica takes over.
 */
class ClusterEndToEndTest {
    static final String APNS_BOB = "ab".repeat(32);
    static final String FCM_DAVE = "dave-fcm:" + "Ab1_".repeat(30);
    static final String SMS_CAROL = "+15550000003";
    static final int SHARDS = 16;

    RedisCluster cluster;
    Platform platform;
    WebClient http;

    @BeforeEach
    void start() throws Exception {
        cluster = RedisCluster.start();
        platform = new Platform(Map.of("GROUPWIRE_REDIS_CLUSTER_NODES", cluster.seeds()), Map.of(
                "GROUPWIRE_SHARDS", Integer.toString(SHARDS),
                // 202 only once the shard's replica has the message: what makes "accepted" survive a failover
                "GROUPWIRE_WAIT_REPLICAS", "1", "GROUPWIRE_WAIT_TIMEOUT", "500ms",
                "GROUPWIRE_RATE_SMS", "5000"));
        http = WebClient.create(platform.vertx);
    }

    @AfterEach
    void stop() {
        if (http != null) {
            http.close();
        }
        if (platform != null) {
            platform.close();
        }
        cluster.close();
    }

    HttpResponse<Buffer> post(String path, String token, JsonObject body) {
        return await(http.post(platform.gateway.port(), "127.0.0.1", path)
                .putHeader("authorization", "Bearer " + token).sendJsonObject(body));
    }

    JsonObject post(String path, String token, JsonObject body, int expected) {
        HttpResponse<Buffer> r = post(path, token, body);
        assertEquals(expected, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject();
    }

    @Test
    void everyAcceptedMessageArrivesOnceAlsoAcrossTheFailoverOfAMaster() throws Exception {
        JsonObject alice = post("/v1/users", Platform.ADMIN, new JsonObject().put("name", "Alice"), 201);
        JsonObject bob = post("/v1/users", Platform.ADMIN, new JsonObject().put("name", "Bob"), 201);
        JsonObject carol = post("/v1/users", Platform.ADMIN, new JsonObject().put("name", "Carol").put("phone", SMS_CAROL), 201);
        JsonObject dave = post("/v1/users", Platform.ADMIN, new JsonObject().put("name", "Dave"), 201);
        post("/v1/devices", bob.getString("token"), new JsonObject().put("platform", "apns").put("token", APNS_BOB), 201);
        post("/v1/devices", dave.getString("token"), new JsonObject().put("platform", "fcm").put("token", FCM_DAVE), 201);
        String sender = alice.getString("token");

        // groups until every master serves at least one of them
        Shards shards = new Shards(SHARDS);
        Map<Integer, List<String>> groupsByMaster = new HashMap<>();
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 100 && (groupsByMaster.size() < RedisCluster.MASTERS || groups.size() < 6); i++) {
            String gid = post("/v1/groups", sender, new JsonObject().put("name", "G" + i).put("members",
                    new JsonArray(List.of(bob.getString("id"), carol.getString("id"), dave.getString("id")))), 201).getString("id");
            int master = cluster.masterOf(cluster.slot(Keys.mailbox(shards.of(gid)).queue()));
            groupsByMaster.computeIfAbsent(master, k -> new ArrayList<>()).add(gid);
            groups.add(gid);
        }
        assertEquals(RedisCluster.MASTERS, groupsByMaster.size(), "groups on every master: " + groupsByMaster);

        // steady state: every message of every group reaches each of the three recipients once
        Map<String, String> accepted = new ConcurrentHashMap<>();
        for (int i = 0; i < 30; i++) {
            String gid = groups.get(i % groups.size());
            accepted.put(post("/v1/groups/" + gid + "/messages", sender,
                    new JsonObject().put("source_guid", "s-" + i).put("text", "steady " + i), 202).getString("id"), "steady " + i);
        }
        awaitDelivered(accepted);
        assertExactlyOnce(accepted, true);

        // failover while a sender keeps going; it retries a refused send with the same source_guid
        Sender load = new Sender(groups, sender, accepted);
        Thread thread = new Thread(load, "cluster-e2e-sender");
        thread.start();
        Thread.sleep(1_000);
        int victim = groupsByMaster.keySet().iterator().next();
        int beforeKill = load.sent.get();
        long t0 = System.nanoTime();
        int promoted = cluster.failover(victim);
        long failoverMs = (System.nanoTime() - t0) / 1_000_000;
        // until the dead node is back as a replica the promoted master has none, so WAIT 1 refuses
        // that master's shards; the other shards go on
        cluster.restart(victim);
        long rejoinMs = (System.nanoTime() - t0) / 1_000_000 - failoverMs;
        int recovered = load.sent.get();
        Thread.sleep(1_000);
        load.stop.set(true);
        thread.join(30_000);
        assertTrue(load.failure.get() == null, String.valueOf(load.failure.get()));

        awaitDelivered(accepted);
        Thread.sleep(500);
        Map<String, Long> duplicates = assertExactlyOnce(accepted, false);
        System.out.printf("cluster e2e: master %d failed over to %d in %d ms, rejoined as a replica in %d ms; "
                        + "%d messages accepted during the run (%d sends refused with 503 and retried, longest wait for a 202 %d ms); "
                        + "%d deliveries received, push resends by channel %s%n",
                victim, promoted, failoverMs, rejoinMs, load.sent.get(), load.refused.get(), load.longestMs.get(),
                platform.sandbox.received().size(), duplicates);
        assertTrue(beforeKill > 0 && load.sent.get() > recovered,
                "messages accepted before the kill (" + beforeKill + ") and after the recovery (" + (load.sent.get() - recovered) + ")");
    }

    /** Posts messages round-robin over the groups until stopped; every send is retried until it is accepted. */
    final class Sender implements Runnable {
        final List<String> groups;
        final String token;
        final Map<String, String> accepted;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicLong longestMs = new AtomicLong();
        final java.util.concurrent.atomic.AtomicReference<String> failure = new java.util.concurrent.atomic.AtomicReference<>();

        Sender(List<String> groups, String token, Map<String, String> accepted) {
            this.groups = groups;
            this.token = token;
            this.accepted = accepted;
        }

        @Override
        public void run() {
            try {
                for (int i = 0; !stop.get(); i++) {
                    String gid = groups.get(i % groups.size());
                    JsonObject body = new JsonObject().put("source_guid", "f-" + i).put("text", "flowing " + i);
                    long start = System.nanoTime();
                    while (true) {
                        HttpResponse<Buffer> r = post("/v1/groups/" + gid + "/messages", token, body);
                        if (r.statusCode() == 202) {
                            accepted.put(r.bodyAsJsonObject().getString("id"), body.getString("text"));
                            break;
                        }
                        if (r.statusCode() != 503 || System.nanoTime() - start > 30_000_000_000L) {
                            failure.set("send " + i + ": " + r.statusCode() + " " + r.bodyAsString());
                            return;
                        }
                        refused.incrementAndGet();
                        Thread.sleep(50);
                    }
                    longestMs.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
                    sent.incrementAndGet();
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                failure.set(e.toString());
            }
        }
    }

    private void awaitDelivered(Map<String, String> accepted) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            Set<String> missing = missing(accepted);
            if (missing.isEmpty()) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(missing.size() + " (message, recipient) pairs never delivered, e.g. "
                        + missing.stream().limit(5).toList() + "\npacer metrics:\n" + pacerMetrics());
            }
            Thread.sleep(50);
        }
    }

    private String pacerMetrics() {
        String all = await(http.get(platform.pacer.port(), "127.0.0.1", "/metrics").send()).bodyAsString();
        return all.lines().filter(l -> !l.startsWith("#") && !l.contains("_bucket{") && !l.startsWith("jvm_"))
                .collect(Collectors.joining("\n"));
    }

    /**
     * The message a delivery carried: push payloads name it; an SMS is only text, so it is told by
     * its text, which is unique per message in this test.
     */
    private static String messageOf(ReceivedDelivery d, Map<String, String> idsByText) {
        if (d.messageId() != null) {
            return d.messageId();
        }
        String text = d.payload().startsWith("Alice: ") ? d.payload().substring("Alice: ".length()) : d.payload();
        return idsByText.getOrDefault(text, "unknown SMS " + d.payload());
    }

    private static Map<String, String> idsByText(Map<String, String> accepted) {
        return accepted.entrySet().stream().collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));
    }

    private Set<String> missing(Map<String, String> accepted) {
        Map<String, String> idsByText = idsByText(accepted);
        Set<String> got = platform.sandbox.received().all().stream().map(d -> messageOf(d, idsByText) + "/" + d.address())
                .collect(Collectors.toSet());
        Set<String> missing = new HashSet<>();
        for (String id : accepted.keySet()) {
            for (String address : List.of(APNS_BOB, FCM_DAVE, SMS_CAROL)) {
                if (!got.contains(id + "/" + address)) {
                    missing.add(id + "/" + address);
                }
            }
        }
        return missing;
    }

    /**
     * Every accepted message reached each recipient, nothing else arrived, SMS exactly once; a push
     * may have been resent after an ambiguous attempt (same collapse id: one notification on the
     * device), which only {@code strict} forbids.
     *
     * @return the resent push deliveries per channel
     */
    private Map<String, Long> assertExactlyOnce(Map<String, String> accepted, boolean strict) {
        Map<String, String> idsByText = idsByText(accepted);
        List<ReceivedDelivery> all = platform.sandbox.received().all();
        Map<String, Long> perPair = all.stream().collect(Collectors.groupingBy(d -> messageOf(d, idsByText) + "/" + d.address(),
                Collectors.counting()));
        assertEquals(accepted.keySet(), all.stream().map(d -> messageOf(d, idsByText)).collect(Collectors.toSet()),
                "exactly the accepted messages were delivered");
        assertEquals(3 * accepted.size(), perPair.size(), "each message to each of its three recipients");
        Map<String, Long> resent = new HashMap<>();
        for (ReceivedDelivery d : all) {
            String pair = messageOf(d, idsByText) + "/" + d.address();
            long n = perPair.get(pair);
            if (n > 1) {
                assertTrue(!strict && !d.channel().equals("sms"), d.channel() + " delivery " + pair + " received " + n + " times");
                resent.merge(d.channel(), 1L, Long::sum);
            }
        }
        return resent;
    }
}

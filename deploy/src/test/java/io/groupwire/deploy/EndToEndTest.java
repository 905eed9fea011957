package io.groupwire.deploy;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.testing.TestRedis;
import io.groupwire.sandbox.ReceivedDelivery;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A message sent over HTTP reaches every other member once, through the mailbox, the transport,
 * the pacer and the real adapters, counted at the sandbox providers.
 */
class EndToEndTest {
    static final String APNS_BOB = "ab".repeat(32);
    static final String FCM_DAVE = "dave-fcm:" + "Ab1_".repeat(30);
    static final String APNS_DEAD = "de".repeat(32);

    Platform platform;
    WebClient http;

    @BeforeEach
    void start() throws Exception {
        Redis redis = TestRedis.client(io.vertx.core.Vertx.vertx());
        TestRedis.flushAll(redis);
        redis.close();
        platform = new Platform(Map.of());
        http = WebClient.create(platform.vertx);
    }

    @AfterEach
    void stop() {
        http.close();
        platform.close();
    }

    JsonObject post(String path, String token, JsonObject body, int expected) {
        HttpResponse<Buffer> r = await(http.post(platform.gateway.port(), "127.0.0.1", path)
                .putHeader("authorization", "Bearer " + token).sendJsonObject(body));
        assertEquals(expected, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject();
    }

    JsonObject user(String name, String phone) {
        JsonObject body = new JsonObject().put("name", name);
        if (phone != null) {
            body.put("phone", phone);
        }
        return post("/v1/users", Platform.ADMIN, body, 201);
    }

    void device(JsonObject user, String platformName, String token) {
        post("/v1/devices", user.getString("token"), new JsonObject().put("platform", platformName).put("token", token), 201);
    }

    static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not reached in 30 s: " + what);
            }
            Thread.sleep(25);
        }
    }

    @Test
    void everyOtherMemberReceivesEachMessageExactlyOnceAndInOrder() throws Exception {
        JsonObject alice = user("Alice", "+15550000001");
        JsonObject bob = user("Bob", null);
        JsonObject carol = user("Carol", "+15550000003");
        JsonObject dave = user("Dave", "+15550000004");
        JsonObject erin = user("Erin", null);
        device(alice, "apns", "aa".repeat(32));
        device(bob, "apns", APNS_BOB);
        device(dave, "fcm", FCM_DAVE);
        String gid = post("/v1/groups", alice.getString("token"), new JsonObject().put("name", "Climbing")
                .put("members", new JsonArray(List.of(bob.getString("id"), carol.getString("id"), dave.getString("id"),
                        erin.getString("id")))), 201).getString("id");
        int n = 40;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(post("/v1/groups/" + gid + "/messages", alice.getString("token"),
                    new JsonObject().put("source_guid", "m-" + i).put("text", "message " + i), 202).getString("id"));
        }
        // a retry of an accepted send changes nothing
        assertEquals(ids.get(3), post("/v1/groups/" + gid + "/messages", alice.getString("token"),
                new JsonObject().put("source_guid", "m-3").put("text", "message 3"), 202).getString("id"));
        // bob: one APNs device; dave: FCM (a device wins over the phone); carol: SMS; erin: nothing to reach
        eventually(() -> platform.sandbox.received().size() >= 3 * n, "three deliveries per message");
        Thread.sleep(500);
        List<ReceivedDelivery> all = platform.sandbox.received().all();
        assertEquals(3 * n, all.size(), "no delivery beyond one per recipient and message");
        Map<String, List<ReceivedDelivery>> byAddress = all.stream().collect(Collectors.groupingBy(ReceivedDelivery::address));
        assertEquals(Map.of(APNS_BOB, n, FCM_DAVE, n, "+15550000003", n),
                byAddress.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size())));
        for (String push : List.of(APNS_BOB, FCM_DAVE)) {
            assertEquals(ids, byAddress.get(push).stream().map(ReceivedDelivery::messageId).toList(), "in order to " + push);
            assertTrue(byAddress.get(push).get(0).payload().contains("Alice: message 0"), byAddress.get(push).get(0).payload());
        }
        assertEquals(Map.of("apns", n, "fcm", n, "sms", n), all.stream().collect(
                Collectors.groupingBy(ReceivedDelivery::channel, Collectors.summingInt(d -> 1))));
        List<String> smsTexts = byAddress.get("+15550000003").stream().map(ReceivedDelivery::payload).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add("Alice: message " + i);
        }
        assertEquals(expected, smsTexts, "SMS in order, once each");
        String metrics = await(http.get(platform.pacer.port(), "127.0.0.1", "/metrics").send()).bodyAsString();
        assertTrue(metrics.contains("groupwire_delivery_latency_seconds_bucket{channel=\"apns\""), "latency histogram per channel");
        assertTrue(metrics.contains("groupwire_delivery_latency_seconds_count{channel=\"sms\",service=\"pacer\"} 40\n"), metrics);
    }

    @Test
    void aDeadDeviceIsUnregisteredAndItsOwnerFallsBackToSms() throws Exception {
        JsonObject alice = user("Alice", null);
        JsonObject frank = user("Frank", "+15550000006");
        device(frank, "apns", APNS_DEAD);
        platform.sandbox.apns().unregisteredTokens().add(APNS_DEAD);
        String gid = post("/v1/groups", alice.getString("token"), new JsonObject().put("name", "G")
                .put("members", new JsonArray(List.of(frank.getString("id")))), 201).getString("id");
        post("/v1/groups/" + gid + "/messages", alice.getString("token"), new JsonObject().put("source_guid", "1").put("text", "first"), 202);
        eventually(() -> {
            String m = await(http.get(platform.pacer.port(), "127.0.0.1", "/metrics").send()).bodyAsString();
            return m.contains("groupwire_destinations_removed_total{channel=\"apns\",service=\"pacer\"} 1.0");
        }, "the dead token removed");
        // the device is gone: the next message goes by SMS
        Thread.sleep(200);
        post("/v1/groups/" + gid + "/messages", alice.getString("token"), new JsonObject().put("source_guid", "2").put("text", "second"), 202);
        eventually(() -> platform.sandbox.received().channel("sms").size() == 1, "an SMS to Frank");
        assertEquals("Alice: second", platform.sandbox.received().channel("sms").get(0).payload());
        assertEquals(0, platform.sandbox.received().channel("apns").size());
    }
}

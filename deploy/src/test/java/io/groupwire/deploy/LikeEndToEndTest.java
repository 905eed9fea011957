package io.groupwire.deploy;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.testing.TestRedis;
import io.groupwire.sandbox.ReceivedDelivery;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Redis;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 end to end: a like over HTTP reaches the original sender's device once, through the
 * event stream, the notifier, the outbox, the pacer and the sandbox provider, and the message's like
 * count goes up; a like repeated, taken back and given again, and a replay of both consumer groups
 * from the start of the stream, send nothing more and leave the count as it was.
 */
class LikeEndToEndTest {
    static final String APNS_ALICE = "a1".repeat(32);

    Platform platform;
    WebClient http;
    Redis redis;

    @BeforeEach
    void start() throws Exception {
        redis = TestRedis.client(io.vertx.core.Vertx.vertx());
        TestRedis.flushAll(redis);
        platform = new Platform(Map.of());
        http = WebClient.create(platform.vertx);
    }

    @AfterEach
    void stop() {
        http.close();
        platform.close();
        redis.close();
    }

    HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject body) {
        var req = http.request(method, platform.gateway.port(), "127.0.0.1", path).putHeader("authorization", "Bearer " + token);
        return await(body == null ? req.send() : req.sendJsonObject(body));
    }

    JsonObject user(String name) {
        return call(HttpMethod.POST, "/v1/users", Platform.ADMIN, new JsonObject().put("name", name)).bodyAsJsonObject();
    }

    long likesOf(String groupId, String token) {
        return call(HttpMethod.GET, "/v1/groups/" + groupId + "/messages?limit=1", token, null).bodyAsJsonObject()
                .getJsonArray("messages").getJsonObject(0).getLong("likes");
    }

    List<ReceivedDelivery> toAlice() {
        return platform.sandbox.received().all().stream().filter(d -> d.address().equals(APNS_ALICE)).toList();
    }

    @Test
    void aLikeNotifiesTheSenderOnceAndCountsEvenWhenTheStreamIsReplayed() throws Exception {
        JsonObject alice = user("Alice");
        JsonObject bob = user("Bob");
        JsonObject carol = user("Carol");
        assertEquals(201, call(HttpMethod.POST, "/v1/devices", alice.getString("token"),
                new JsonObject().put("platform", "apns").put("token", APNS_ALICE)).statusCode());
        String gid = call(HttpMethod.POST, "/v1/groups", alice.getString("token"), new JsonObject().put("name", "Climbing")
                .put("members", new JsonArray(List.of(bob.getString("id"), carol.getString("id"))))).bodyAsJsonObject().getString("id");
        String mid = call(HttpMethod.POST, "/v1/groups/" + gid + "/messages", alice.getString("token"),
                new JsonObject().put("source_guid", "g1").put("text", "summit at noon")).bodyAsJsonObject().getString("id");
        String like = "/v1/groups/" + gid + "/messages/" + mid + "/like";
        String b = bob.getString("token");
        assertEquals(204, call(HttpMethod.PUT, like, b, null).statusCode());
        assertEquals(204, call(HttpMethod.PUT, like, b, null).statusCode());
        assertEquals(204, call(HttpMethod.DELETE, like, b, null).statusCode());
        assertEquals(204, call(HttpMethod.PUT, like, b, null).statusCode());
        assertEquals(204, call(HttpMethod.PUT, like, carol.getString("token"), null).statusCode());
        // alice likes her own message: counted, not notified
        assertEquals(204, call(HttpMethod.PUT, like, alice.getString("token"), null).statusCode());

        EndToEndTest.eventually(() -> toAlice().size() >= 2 && likesOf(gid, b) == 3, "two notifications and three likes");
        Thread.sleep(1_000);
        List<ReceivedDelivery> got = toAlice();
        assertEquals(2, got.size(), "one notification per liker: " + got);
        assertTrue(got.stream().anyMatch(d -> d.payload().contains("Bob liked your message: summit at noon")), got.toString());
        assertTrue(got.stream().anyMatch(d -> d.payload().contains("Carol liked your message: summit at noon")), got.toString());
        assertTrue(got.stream().allMatch(d -> d.messageId().equals(mid)), "the liked message's id (and collapse id)");
        assertEquals(3, likesOf(gid, b));

        // the gameday rehearsal: both groups rewound to the start of the stream
        io.groupwire.core.config.Env env = new io.groupwire.core.config.Env(Map.of("GROUPWIRE_REDIS_URL", TestRedis.url()));
        for (String group : List.of("notifier", "counters")) {
            assertEquals(0, EventsCommand.run(List.of("replay", "--group", group, "--from", "start"), env, System.out, System.err));
        }
        Thread.sleep(2_000);
        EndToEndTest.eventually(() -> metric("groupwire_events_lag_entries{group=\"notifier\"").startsWith("0"), "the replay read");
        assertEquals(2, toAlice().size(), "no second notification after the replay");
        assertEquals(3, likesOf(gid, b), "no count change after the replay");
        java.io.ByteArrayOutputStream lag = new java.io.ByteArrayOutputStream();
        assertEquals(0, EventsCommand.run(List.of("lag"), env, new java.io.PrintStream(lag, true), System.err));
        assertTrue(lag.toString().contains("notifier") && lag.toString().contains("counters"), lag.toString());
    }

    String metric(String prefix) {
        String all = await(http.get(platform.events.port(), "127.0.0.1", "/metrics").send()).bodyAsString();
        for (String line : all.split("\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(line.lastIndexOf(' ') + 1);
            }
        }
        throw new AssertionError("no " + prefix + " in " + all);
    }
}

package io.groupwire.gateway;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.message.Channel;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.RedisProcess;
import io.groupwire.core.redis.Shards;
import io.groupwire.core.testing.RedisServers;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** 503 with Retry-After, never a lost or duplicated message: back-pressure, Redis down, Redis slow. */
class BackPressureAndOutageTest extends GatewayTestSupport {

    @Test
    void aFullMailboxAnswers503WithRetryAfterAndKeepsWhatItHas() {
        GatewayService small = await(GatewayService.start(vertx, config(Map.of("GROUPWIRE_MAILBOX_HIGH_WATER", "2"))));
        try {
            JsonObject alice = user("Alice", null);
            String t = alice.getString("token");
            String gid = group(t).getString("id");
            String first = send(small, t, gid, "1", "a").bodyAsJsonObject().getString("id");
            assertEquals(202, send(small, t, gid, "2", "b").statusCode());
            double refused = metric("groupwire_messages_refused_total{reason=\"busy\",service=\"gateway\"}");
            HttpResponse<Buffer> full = send(small, t, gid, "3", "c");
            assertErrorMentions(full, 503, "busy", "retry");
            assertEquals("1", full.getHeader("retry-after"));
            assertEquals(2, mailboxDepth(gid));
            // a retry of an accepted message is answered with its first answer, even while the mailbox is full
            HttpResponse<Buffer> retry = send(small, t, gid, "1", "a");
            assertEquals(202, retry.statusCode(), retry.bodyAsString());
            assertEquals(first, retry.bodyAsJsonObject().getString("id"));
            assertEquals(2, mailboxDepth(gid));
            // once the transport drained some, the refused message gets in and the retry finds its first answer
            await(redis.send(Request.cmd(Command.RPOP).arg(mailbox(gid))));
            assertEquals(first, send(small, t, gid, "1", "a").bodyAsJsonObject().getString("id"));
            assertEquals(202, send(small, t, gid, "3", "c").statusCode());
            assertEquals(List.of("b", "c"), mailboxMessages(gid).stream().map(m -> m.getString("text")).toList());
            assertEquals(refused, metric("groupwire_messages_refused_total{reason=\"busy\",service=\"gateway\"}"),
                    "the small gateway counts in its own registry");
            assertTrue(small.registry().get("groupwire.messages.refused").tag("reason", "busy").counter().count() >= 1);
        } finally {
            await(small.stop());
        }
    }

    @Test
    void aFullOutboxAnswers503Too() {
        GatewayService small = await(GatewayService.start(vertx, config(Map.of("GROUPWIRE_OUTBOX_HIGH_WATER", "1"))));
        try {
            String t = user("Alice", null).getString("token");
            String gid = group(t).getString("id");
            String outbox = Keys.outbox(new Shards(SHARDS).of(gid), Channel.FCM).queue();
            await(redis.send(Request.cmd(Command.LPUSH).arg(outbox).arg("{}")));
            HttpResponse<Buffer> full = send(small, t, gid, "1", "a");
            assertError(full, 503, "busy");
            assertEquals("1", full.getHeader("retry-after"));
            assertEquals(0, mailboxDepth(gid));
        } finally {
            await(small.stop());
        }
    }

    @Test
    void anUnreachableRedisAnswers503AndTheGatewayRecoversWithoutARestart() throws Exception {
        RedisProcess own = RedisServers.startTemporary();
        GatewayService g = null;
        try {
            g = await(GatewayService.start(vertx, config(Map.of("GROUPWIRE_REDIS_URL", own.url(), "GROUPWIRE_REDIS_TIMEOUT", "500ms"))));
            HttpResponse<Buffer> created = call(g, HttpMethod.POST, "/v1/users", ADMIN, new JsonObject().put("name", "A"));
            assertEquals(201, created.statusCode());
            String token = created.bodyAsJsonObject().getString("token");
            String gid = call(g, HttpMethod.POST, "/v1/groups", token, new JsonObject().put("name", "G")).bodyAsJsonObject().getString("id");
            own.kill();
            HttpResponse<Buffer> down = send(g, token, gid, "x", "hi");
            assertErrorMentions(down, 503, "unavailable", "retry");
            assertEquals("1", down.getHeader("retry-after"));
            // not 401: a token that cannot be checked is not a bad token
            HttpResponse<Buffer> unchecked = call(g, HttpMethod.GET, "/v1/groups/" + gid, "never-seen-token", null);
            assertError(unchecked, 503, "unavailable");
            HttpResponse<Buffer> admin = call(g, HttpMethod.POST, "/v1/users", ADMIN, new JsonObject().put("name", "B"));
            assertError(admin, 503, "unavailable");
            assertEquals(503, call(g, HttpMethod.GET, "/health", null, null).statusCode());
            assertEquals(200, call(g, HttpMethod.GET, "/metrics", null, null).statusCode());

            own.restart();
            long deadline = System.currentTimeMillis() + 15_000;
            int status = 0;
            while (System.currentTimeMillis() < deadline && status != 202) {
                status = send(g, token, gid, "y", "back").statusCode();
                Thread.sleep(100);
            }
            assertEquals(202, status);
        } finally {
            if (g != null) {
                await(g.stop());
            }
            own.close();
        }
    }

    @Test
    void aSlowRedisAnswers503AndTheRetryFindsTheMessageOnce() throws Exception {
        RedisProcess own = RedisServers.startTemporary();
        GatewayService g = null;
        Redis control = Redis.createClient(vertx, new RedisOptions().setConnectionString(own.url()));
        try {
            g = await(GatewayService.start(vertx, config(Map.of("GROUPWIRE_REDIS_URL", own.url(), "GROUPWIRE_REDIS_TIMEOUT", "300ms"))));
            String token = call(g, HttpMethod.POST, "/v1/users", ADMIN, new JsonObject().put("name", "A")).bodyAsJsonObject().getString("token");
            String gid = call(g, HttpMethod.POST, "/v1/groups", token, new JsonObject().put("name", "G")).bodyAsJsonObject().getString("id");
            // every other client's commands wait 1.5 s: the gateway must not wait with them
            await(control.send(Request.cmd(Command.CLIENT).arg("PAUSE").arg(1500).arg("ALL")));
            long start = System.nanoTime();
            HttpResponse<Buffer> slow = send(g, token, gid, "slow", "patience");
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertErrorMentions(slow, 503, "unavailable", "in time");
            assertEquals("1", slow.getHeader("retry-after"));
            assertTrue(tookMillis < 1200, "answered after " + tookMillis + " ms");
            // the stalled write completes when Redis wakes; the client's retry gets that message, not a second one
            Thread.sleep(1600);
            HttpResponse<Buffer> retry = send(g, token, gid, "slow", "patience");
            assertEquals(202, retry.statusCode(), retry.bodyAsString());
            String mailbox = Keys.mailbox(new Shards(SHARDS).of(gid)).queue();
            assertEquals(1L, await(control.send(Request.cmd(Command.LLEN).arg(mailbox))).toLong());
            String stored = await(control.send(Request.cmd(Command.LINDEX).arg(mailbox).arg(0))).toString();
            assertEquals(retry.bodyAsJsonObject().getString("id"), new JsonObject(stored).getString("id"));
        } finally {
            control.close();
            if (g != null) {
                await(g.stop());
            }
            own.close();
        }
    }

    @Test
    void theGatewayRefusesToStartWithoutRedisAndSaysWhy() throws Exception {
        int closed = RedisProcess.freePort();
        // a gateway waits for Redis at start-up (for ever by default); with a bounded wait it gives up
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> await(GatewayService.start(vertx,
                config(Map.of("GROUPWIRE_REDIS_URL", "redis://127.0.0.1:" + closed, "GROUPWIRE_REDIS_TIMEOUT", "500ms",
                        "GROUPWIRE_REDIS_STARTUP_WAIT", "1s")))));
        assertTrue(e.getMessage().contains("cannot start") && e.getMessage().contains("127.0.0.1:" + closed), e.getMessage());
    }

    @Test
    void theGatewayRefusesToStartWhenTheShardCountDisagrees() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> await(GatewayService.start(vertx, config(Map.of("GROUPWIRE_SHARDS", "7")))));
        assertTrue(e.getMessage().contains("GROUPWIRE_SHARDS"), e.getMessage());
    }
}

package io.groupwire.gateway;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.config.Env;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.RedisProcess;
import io.groupwire.core.redis.Shards;
import io.groupwire.core.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GatewayApiTest {
    static final String ADMIN = "test-admin-token";
    static Vertx vertx;
    static Redis redis;
    static WebClient http;
    static GatewayService gateway;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        redis = TestRedis.client(vertx);
        TestRedis.flushAll(redis);
        http = WebClient.create(vertx);
        gateway = await(GatewayService.start(vertx, config(Map.of())));
    }

    static GatewayConfig config(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("GROUPWIRE_REDIS_URL", TestRedis.url(),
                "GROUPWIRE_ADMIN_TOKEN", ADMIN, "GROUPWIRE_HTTP_PORT", "0", "GROUPWIRE_HTTP_HOST", "127.0.0.1"));
        env.putAll(extra);
        return GatewayConfig.fromEnv(new Env(env));
    }

    @AfterAll
    static void stop() {
        await(gateway.stop());
        http.close();
        redis.close();
        await(vertx.close());
    }

    @BeforeEach
    void clean() {
        // keep the recorded shard count: the running gateway agreed on it
        await(redis.send(Request.cmd(Command.EVAL).arg(
                "for _, k in ipairs(redis.call('KEYS', 'gw:*')) do if k ~= 'gw:config:shards' then redis.call('DEL', k) end end")
                .arg(0)));
    }

    static HttpResponse<Buffer> call(GatewayService g, HttpMethod method, String path, String token, Object body) {
        HttpRequest<Buffer> req = http.request(method, g.port(), "127.0.0.1", path);
        if (token != null) {
            req.putHeader("authorization", "Bearer " + token);
        }
        if (body == null) {
            return await(req.send());
        }
        if (body instanceof JsonObject j) {
            return await(req.sendJsonObject(j));
        }
        req.putHeader("content-type", "application/json");
        return await(req.sendBuffer(body instanceof Buffer b ? b : Buffer.buffer(body.toString())));
    }

    static HttpResponse<Buffer> call(HttpMethod method, String path, String token, Object body) {
        return call(gateway, method, path, token, body);
    }

    static JsonObject user(String name, String phone) {
        JsonObject body = new JsonObject().put("name", name);
        if (phone != null) {
            body.put("phone", phone);
        }
        HttpResponse<Buffer> r = call(HttpMethod.POST, "/v1/users", ADMIN, body);
        assertEquals(201, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject();
    }

    static JsonObject group(String token, String... members) {
        HttpResponse<Buffer> r = call(HttpMethod.POST, "/v1/groups", token,
                new JsonObject().put("name", "Climbing").put("members", new JsonArray(List.of(members))));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject();
    }

    static HttpResponse<Buffer> send(String token, String groupId, String guid, String text) {
        return call(HttpMethod.POST, "/v1/groups/" + groupId + "/messages", token,
                new JsonObject().put("source_guid", guid).put("text", text));
    }

    static long mailboxDepth(String groupId) {
        return await(redis.send(Request.cmd(Command.LLEN).arg(Keys.mailbox(new Shards(16).of(groupId)).queue()))).toLong();
    }

    static void assertError(HttpResponse<Buffer> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.bodyAsString());
        assertTrue(r.getHeader("content-type").startsWith("application/json"), r.getHeader("content-type"));
        JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
        assertNotNull(error, r.bodyAsString());
        if (code != null) {
            assertEquals(code, error.getString("code"), r.bodyAsString());
        }
        assertTrue(error.getString("message").length() > 0);
    }

    @Test
    void theWholeApiHappyPath() {
        JsonObject alice = user("Alice", "+15550000001");
        assertEquals("+15550000001", alice.getString("phone"));
        JsonObject bob = user("Bob", null);
        JsonObject carol = user("Carol", "+447700900123");
        HttpResponse<Buffer> dev = call(HttpMethod.POST, "/v1/devices", bob.getString("token"),
                new JsonObject().put("platform", "apns").put("token", "a1b2c3d4e5f6"));
        assertEquals(201, dev.statusCode(), dev.bodyAsString());
        assertEquals("apns", dev.bodyAsJsonObject().getString("platform"));
        JsonObject g = group(alice.getString("token"), bob.getString("id"));
        assertEquals(2, g.getJsonArray("members").size());
        String gid = g.getString("id");
        HttpResponse<Buffer> added = call(HttpMethod.POST, "/v1/groups/" + gid + "/members", bob.getString("token"),
                new JsonObject().put("user_id", carol.getString("id")));
        assertEquals(200, added.statusCode(), added.bodyAsString());
        assertEquals(3, added.bodyAsJsonObject().getJsonArray("members").size());
        assertEquals(200, call(HttpMethod.GET, "/v1/groups/" + gid, carol.getString("token"), null).statusCode());
        HttpResponse<Buffer> sent = send(alice.getString("token"), gid, "guid-1", "hello 👋");
        assertEquals(202, sent.statusCode(), sent.bodyAsString());
        JsonObject body = sent.bodyAsJsonObject();
        assertEquals(gid, body.getString("group_id"));
        assertEquals(alice.getString("id"), body.getString("sender_id"));
        assertNotNull(java.time.Instant.parse(body.getString("accepted_at")));
        assertEquals(1, mailboxDepth(gid));
        assertEquals(204, call(HttpMethod.DELETE, "/v1/groups/" + gid + "/members/" + carol.getString("id"),
                alice.getString("token"), null).statusCode());
        assertEquals(204, call(HttpMethod.DELETE, "/v1/devices/" + dev.bodyAsJsonObject().getString("id"),
                bob.getString("token"), null).statusCode());
        assertError(call(HttpMethod.DELETE, "/v1/devices/" + dev.bodyAsJsonObject().getString("id"),
                bob.getString("token"), null), 404, "not_found");
        assertEquals(200, call(HttpMethod.GET, "/health", null, null).statusCode());
        assertTrue(call(HttpMethod.GET, "/metrics", null, null).bodyAsString().contains("groupwire_messages_accepted_total"));
        assertTrue(call(HttpMethod.GET, "/openapi.yaml", null, null).bodyAsString().contains("sendMessage"));
    }

    @Test
    void theSameSourceGuidReturnsTheFirstAnswerAndEnqueuesNothing() {
        JsonObject alice = user("Alice", null);
        String gid = group(alice.getString("token")).getString("id");
        JsonObject first = send(alice.getString("token"), gid, "same", "one").bodyAsJsonObject();
        HttpResponse<Buffer> again = send(alice.getString("token"), gid, "same", "one");
        assertEquals(202, again.statusCode());
        assertEquals(first, again.bodyAsJsonObject());
        assertEquals(1, mailboxDepth(gid));
        // another sender may use the same guid
        JsonObject bob = user("Bob", null);
        call(HttpMethod.POST, "/v1/groups/" + gid + "/members", alice.getString("token"), new JsonObject().put("user_id", bob.getString("id")));
        assertEquals(202, send(bob.getString("token"), gid, "same", "two").statusCode());
        assertEquals(2, mailboxDepth(gid));
    }

    @Test
    void authenticationErrors() {
        assertError(call(HttpMethod.POST, "/v1/users", null, new JsonObject().put("name", "x")), 401, "unauthorized");
        HttpResponse<Buffer> bad = call(HttpMethod.GET, "/v1/groups/g_x", "nope", null);
        assertError(bad, 401, "unauthorized");
        assertEquals("Bearer", bad.getHeader("www-authenticate"));
        JsonObject alice = user("Alice", null);
        assertError(call(HttpMethod.POST, "/v1/users", alice.getString("token"), new JsonObject().put("name", "x")), 403, "forbidden");
        // the admin token is not a user
        assertError(call(HttpMethod.POST, "/v1/groups", ADMIN, new JsonObject().put("name", "x")), 401, "unauthorized");
    }

    @Test
    void validationErrors() {
        JsonObject alice = user("Alice", null);
        String t = alice.getString("token");
        String gid = group(t).getString("id");
        assertError(call(HttpMethod.POST, "/v1/users", ADMIN, new JsonObject().put("name", "x").put("phone", "5550001")), 400, null);
        assertError(call(HttpMethod.POST, "/v1/users", ADMIN, new JsonObject().put("name", "x").put("phone", "+0123456789")), 400, null);
        assertError(call(HttpMethod.POST, "/v1/users", ADMIN, new JsonObject().put("name", "")), 400, null);
        assertError(call(HttpMethod.POST, "/v1/groups/" + gid + "/messages", t, "{\"source_guid\": \"a\", \"text\": "), 400, "malformed_json");
        assertError(call(HttpMethod.POST, "/v1/groups/" + gid + "/messages", t, new JsonObject().put("source_guid", "a").put("text", 5)), 400, null);
        assertError(call(HttpMethod.POST, "/v1/groups/" + gid + "/messages", t, new JsonObject().put("text", "hi")), 400, null);
        assertError(send(t, gid, "a", ""), 400, null);
        assertError(send(t, gid, "a", "x".repeat(1001)), 400, null);
        assertError(send(t, gid, "x".repeat(129), "hi"), 400, null);
        // a thousand emoji are a thousand characters, though two thousand UTF-16 units
        assertEquals(202, send(t, gid, "emoji", "😀".repeat(1000)).statusCode());
        assertError(send(t, gid, "emoji2", "😀".repeat(1001)), 400, null);
        assertError(call(HttpMethod.POST, "/v1/devices", t, new JsonObject().put("platform", "blackberry").put("token", "x")), 400, null);
        assertError(call(HttpMethod.POST, "/v1/groups", t, new JsonObject().put("name", "g").put("members", new JsonArray().add("u_nobody"))), 400, "unknown_users");
        HttpResponse<Buffer> form = await(http.post(gateway.port(), "127.0.0.1", "/v1/groups/" + gid + "/messages")
                .putHeader("authorization", "Bearer " + t).putHeader("content-type", "text/plain").sendBuffer(Buffer.buffer("hi")));
        assertError(form, 415, null);
        assertEquals(1, mailboxDepth(gid));
    }

    @Test
    void membershipAndExistenceErrors() {
        JsonObject alice = user("Alice", null);
        JsonObject mallory = user("Mallory", null);
        String gid = group(alice.getString("token")).getString("id");
        assertError(send(mallory.getString("token"), gid, "m", "let me in"), 403, "forbidden");
        assertError(call(HttpMethod.GET, "/v1/groups/" + gid, mallory.getString("token"), null), 403, "forbidden");
        assertError(call(HttpMethod.POST, "/v1/groups/" + gid + "/members", mallory.getString("token"),
                new JsonObject().put("user_id", mallory.getString("id"))), 403, "forbidden");
        assertError(send(alice.getString("token"), "g_doesnotexist", "m", "hi"), 404, "not_found");
        assertError(call(HttpMethod.GET, "/v1/groups/g_doesnotexist", alice.getString("token"), null), 404, "not_found");
        assertError(call(HttpMethod.GET, "/v1/nothing-here", alice.getString("token"), null), 404, null);
        assertError(call(HttpMethod.PUT, "/v1/groups/" + gid, alice.getString("token"), new JsonObject()), 405, null);
        assertEquals(0, mailboxDepth(gid));
    }

    @Test
    void oversizedAndHostileInputIsRefusedAndLosesNothingAccepted() {
        JsonObject alice = user("Alice", null);
        String t = alice.getString("token");
        String gid = group(t).getString("id");
        assertEquals(202, send(t, gid, "kept", "accepted before the attacks").statusCode());
        assertError(call(HttpMethod.POST, "/v1/groups/" + gid + "/messages", t,
                new JsonObject().put("source_guid", "big").put("text", "x".repeat(200_000))), 413, "too_large");
        String nested = "[".repeat(20_000) + "]".repeat(20_000);
        HttpResponse<Buffer> deep = call(HttpMethod.POST, "/v1/groups/" + gid + "/messages", t,
                "{\"source_guid\":\"deep\",\"text\":" + nested + "}");
        assertTrue(deep.statusCode() == 400 || deep.statusCode() == 413, deep.bodyAsString());
        assertError(send(t, gid, "ctl", "null byte \u0000 here"), 400, null);
        Buffer notUtf8 = Buffer.buffer("{\"source_guid\":\"u\",\"text\":\"").appendBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF})
                .appendString("\"}");
        HttpResponse<Buffer> bytes = call(HttpMethod.POST, "/v1/groups/" + gid + "/messages", t, notUtf8);
        assertTrue(bytes.statusCode() == 400 || bytes.statusCode() == 202, bytes.bodyAsString());
        assertTrue(bytes.statusCode() < 500);
        HttpResponse<Buffer> dupKeys = call(HttpMethod.POST, "/v1/groups/" + gid + "/messages", t,
                "{\"source_guid\":\"dk\",\"text\":\"first\",\"text\":\"second\"}");
        assertTrue(dupKeys.statusCode() < 500, dupKeys.bodyAsString());
        String script = "<script>alert(1)</script>'; DROP TABLE users; -- {{7*7}} ${jndi:ldap://x}";
        assertEquals(202, send(t, gid, "script", script).statusCode());
        String stored = await(redis.send(Request.cmd(Command.LINDEX).arg(Keys.mailbox(new Shards(16).of(gid)).queue()).arg(0))).toString();
        assertEquals(script, new JsonObject(stored).getString("text"));
        assertTrue(mailboxDepth(gid) >= 2);
        // the first accepted message is still there, first in line
        String oldest = await(redis.send(Request.cmd(Command.LINDEX).arg(Keys.mailbox(new Shards(16).of(gid)).queue()).arg(-1))).toString();
        assertEquals("accepted before the attacks", new JsonObject(oldest).getString("text"));
    }

    @Test
    void aFullMailboxAnswers503WithRetryAfter() {
        GatewayService small = await(GatewayService.start(vertx, config(Map.of("GROUPWIRE_MAILBOX_HIGH_WATER", "2"))));
        try {
            JsonObject alice = user("Alice", null);
            String gid = group(alice.getString("token")).getString("id");
            assertEquals(202, call(small, HttpMethod.POST, "/v1/groups/" + gid + "/messages", alice.getString("token"),
                    new JsonObject().put("source_guid", "1").put("text", "a")).statusCode());
            assertEquals(202, call(small, HttpMethod.POST, "/v1/groups/" + gid + "/messages", alice.getString("token"),
                    new JsonObject().put("source_guid", "2").put("text", "b")).statusCode());
            HttpResponse<Buffer> full = call(small, HttpMethod.POST, "/v1/groups/" + gid + "/messages", alice.getString("token"),
                    new JsonObject().put("source_guid", "3").put("text", "c"));
            assertError(full, 503, "busy");
            assertEquals("1", full.getHeader("retry-after"));
            assertEquals(2, mailboxDepth(gid));
        } finally {
            await(small.stop());
        }
    }

    @Test
    void anUnreachableRedisAnswers503WithRetryAfter() throws Exception {
        RedisProcess own = RedisProcess.startTemporary();
        GatewayService g = null;
        try {
            g = await(GatewayService.start(vertx, config(Map.of("GROUPWIRE_REDIS_URL", own.url(), "GROUPWIRE_REDIS_TIMEOUT", "500ms"))));
            HttpResponse<Buffer> created = call(g, HttpMethod.POST, "/v1/users", ADMIN, new JsonObject().put("name", "A"));
            assertEquals(201, created.statusCode());
            String token = created.bodyAsJsonObject().getString("token");
            String gid = call(g, HttpMethod.POST, "/v1/groups", token, new JsonObject().put("name", "G")).bodyAsJsonObject().getString("id");
            own.kill();
            HttpResponse<Buffer> down = call(g, HttpMethod.POST, "/v1/groups/" + gid + "/messages", token,
                    new JsonObject().put("source_guid", "x").put("text", "hi"));
            assertError(down, 503, "unavailable");
            assertEquals("1", down.getHeader("retry-after"));
            assertEquals(503, call(g, HttpMethod.GET, "/health", null, null).statusCode());
            // Redis comes back (from its AOF): the gateway serves again without a restart
            own.restart();
            long deadline = System.currentTimeMillis() + 15_000;
            int status = 0;
            while (System.currentTimeMillis() < deadline && status != 202) {
                status = call(g, HttpMethod.POST, "/v1/groups/" + gid + "/messages", token,
                        new JsonObject().put("source_guid", "y").put("text", "back")).statusCode();
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
}

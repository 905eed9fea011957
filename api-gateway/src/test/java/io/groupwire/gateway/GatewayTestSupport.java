package io.groupwire.gateway;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.config.Env;
import io.groupwire.core.redis.Keys;
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
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A gateway on a random port against the test Redis, a web client, and the calls the API tests
 * make. Each test class gets its own gateway; each test starts from a Redis with no Groupwire keys
 * but the shard count the gateway agreed on.
 */
abstract class GatewayTestSupport {
    static final String ADMIN = "test-admin-token";
    static final int SHARDS = 16;
    static Vertx vertx;
    static Redis redis;
    static WebClient http;
    static GatewayService gateway;

    @BeforeAll
    static void startGateway() {
        vertx = Vertx.vertx();
        redis = TestRedis.client(vertx);
        TestRedis.flushAll(redis);
        http = WebClient.create(vertx);
        gateway = await(GatewayService.start(vertx, config(Map.of())));
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            await(gateway.stop());
        }
        http.close();
        redis.close();
        await(vertx.close());
    }

    @BeforeEach
    void deleteGroupwireKeys() {
        await(redis.send(Request.cmd(Command.EVAL).arg(
                "for _, k in ipairs(redis.call('KEYS', 'gw:*')) do if k ~= 'gw:config:shards' then redis.call('DEL', k) end end")
                .arg(0)));
    }

    static GatewayConfig config(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("GROUPWIRE_REDIS_URL", TestRedis.url(),
                "GROUPWIRE_ADMIN_TOKEN", ADMIN, "GROUPWIRE_HTTP_PORT", "0", "GROUPWIRE_HTTP_HOST", "127.0.0.1",
                "GROUPWIRE_SHARDS", Integer.toString(SHARDS)));
        env.putAll(extra);
        return GatewayConfig.fromEnv(new Env(env));
    }

    /** Calls a gateway; a JsonObject body is sent as JSON, a String or Buffer as application/json bytes. */
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

    static HttpResponse<Buffer> send(GatewayService g, String token, String groupId, String guid, String text) {
        return call(g, HttpMethod.POST, "/v1/groups/" + groupId + "/messages", token,
                new JsonObject().put("source_guid", guid).put("text", text));
    }

    static HttpResponse<Buffer> send(String token, String groupId, String guid, String text) {
        return send(gateway, token, groupId, guid, text);
    }

    static String mailbox(String groupId) {
        return Keys.mailbox(new Shards(SHARDS).of(groupId)).queue();
    }

    static long mailboxDepth(String groupId) {
        return await(redis.send(Request.cmd(Command.LLEN).arg(mailbox(groupId)))).toLong();
    }

    /** The message JSON in the group's mailbox, oldest first. */
    static List<JsonObject> mailboxMessages(String groupId) {
        Response r = await(redis.send(Request.cmd(Command.LRANGE).arg(mailbox(groupId)).arg(0).arg(-1)));
        List<JsonObject> out = new ArrayList<>();
        for (Response e : r) {
            out.add(0, new JsonObject(e.toString()));
        }
        return out;
    }


    /** Asserts an error answer: its status, the JSON error shape, its code (if given) and a message. */
    static JsonObject assertError(HttpResponse<Buffer> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.bodyAsString());
        assertNotNull(r.getHeader("content-type"), "no content type");
        assertTrue(r.getHeader("content-type").startsWith("application/json"), r.getHeader("content-type"));
        JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
        assertNotNull(error, r.bodyAsString());
        if (code != null) {
            assertEquals(code, error.getString("code"), r.bodyAsString());
        }
        assertTrue(error.getString("message").length() > 0, r.bodyAsString());
        return error;
    }

    static void assertErrorMentions(HttpResponse<Buffer> r, int status, String code, String... words) {
        String message = assertError(r, status, code).getString("message");
        for (String w : words) {
            assertTrue(message.contains(w), "'" + message + "' should mention " + w);
        }
    }

    /** The value of a Prometheus series in the gateway's /metrics text, or 0 if absent. */
    static double metric(String seriesPrefix) {
        String text = call(HttpMethod.GET, "/metrics", null, null).bodyAsString();
        for (String line : text.split("\n")) {
            if (line.startsWith(seriesPrefix)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}

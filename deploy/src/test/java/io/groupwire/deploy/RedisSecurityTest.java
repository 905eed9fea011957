package io.groupwire.deploy;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.redis.RedisProcess;
import io.groupwire.core.testing.RedisCluster;
import io.groupwire.core.testing.RedisServers;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redis with a password, an ACL user and TLS (issue 12): the platform's every client (the services'
 * Vert.x client, and Lettuce under the pacer's provider buckets and the gateway's rate limits) works
 * against it, on a single server and on a cluster: a message sent over HTTP is delivered, and the
 * rate limits, which live in Redis, count. The TLS server is Debian's redis-server (the embedded
 * binary is built without TLS); see {@link TlsRedis}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RedisSecurityTest {
    static final String PASSWORD = "s3cret/with:odd@chars";

    @Test
    void aSingleRedisWithAPassword() throws Exception {
        try (RedisProcess redis = RedisServers.start(0, Files.createTempDirectory("redis-auth"), List.of(), PASSWORD)) {
            assertTrue(redis.url().contains("default:"), "the URL carries the credentials");
            deliversOneMessage(Map.of("GROUPWIRE_REDIS_URL", redis.url()));
        }
    }

    @Test
    void aSingleRedisWithAnAclUser() throws Exception {
        // the default user keeps a password for the test's own start-up check; the platform uses its ACL user
        try (RedisProcess redis = RedisServers.start(0, Files.createTempDirectory("redis-acl"), List.of(
                "--user", "groupwire", "on", ">gw-pass", "~gw:*", "&*", "+@all"), PASSWORD)) {
            deliversOneMessage(Map.of("GROUPWIRE_REDIS_URL", "redis://groupwire:gw-pass@127.0.0.1:" + redis.port()));
        }
    }

    @Test
    void aRedisClusterWithAPassword() throws Exception {
        try (RedisCluster cluster = RedisCluster.start(PASSWORD)) {
            deliversOneMessage(Map.of("GROUPWIRE_REDIS_CLUSTER_NODES", cluster.seeds()));
        }
    }

    @Test
    void aSingleRedisOverTls() throws Exception {
        try (TlsRedis redis = TlsRedis.start(Files.createTempDirectory("redis-tls"), PASSWORD)) {
            deliversOneMessage(Map.of("GROUPWIRE_REDIS_URL", redis.url(), "GROUPWIRE_REDIS_TLS_CA", redis.caFile().toString()));
        }
    }

    @Test
    void aRedisClusterOverTls() throws Exception {
        try (TlsRedisCluster cluster = TlsRedisCluster.start(Files.createTempDirectory("redis-tls-cluster"), PASSWORD)) {
            deliversOneMessage(Map.of("GROUPWIRE_REDIS_CLUSTER_NODES", cluster.seeds(),
                    "GROUPWIRE_REDIS_TLS_CA", cluster.caFile().toString()));
        }
    }

    /**
     * The whole platform on the Redis {@code redis} names: a message from Alice reaches Bob's phone,
     * and a send limit of two per user (kept in Redis by Lettuce) refuses the third.
     */
    static void deliversOneMessage(Map<String, String> redis) throws Exception {
        try (Platform platform = new Platform(redis, Map.of("GROUPWIRE_SHARDS", "16",
                "GROUPWIRE_LIMIT_SENDS_PER_USER", "2/1h"))) {
            WebClient http = WebClient.create(platform.vertx);
            try {
                JsonObject alice = post(http, platform, "/v1/users", Platform.ADMIN, new JsonObject().put("name", "Alice"), 201);
                JsonObject bob = post(http, platform, "/v1/users", Platform.ADMIN,
                        new JsonObject().put("name", "Bob").put("phone", "+15550000002"), 201);
                String gid = post(http, platform, "/v1/groups", alice.getString("token"), new JsonObject().put("name", "Secure")
                        .put("members", new JsonArray().add(bob.getString("id"))), 201).getString("id");
                String path = "/v1/groups/" + gid + "/messages";
                String a = alice.getString("token");
                post(http, platform, path, a, new JsonObject().put("source_guid", "1").put("text", "over a guarded Redis"), 202);
                post(http, platform, path, a, new JsonObject().put("source_guid", "2").put("text", "again"), 202);
                post(http, platform, path, a, new JsonObject().put("source_guid", "3").put("text", "one too many"), 429);
                EndToEndTest.eventually(() -> platform.sandbox.received().channel("sms").size() == 2, "two SMS to Bob");
                assertEquals("Alice: over a guarded Redis", platform.sandbox.received().channel("sms").get(0).payload());
            } finally {
                http.close();
            }
        }
    }

    static JsonObject post(WebClient http, Platform platform, String path, String token, JsonObject body, int expected) {
        HttpResponse<Buffer> r = await(http.post(platform.gateway.port(), "127.0.0.1", path)
                .putHeader("authorization", "Bearer " + token).sendJsonObject(body));
        assertEquals(expected, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject();
    }
}

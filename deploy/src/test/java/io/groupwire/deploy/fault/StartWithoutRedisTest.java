package io.groupwire.deploy.fault;

import static io.groupwire.core.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.groupwire.core.config.Env;
import io.groupwire.core.redis.RedisProcess;
import io.groupwire.core.testing.RedisServers;
import io.groupwire.gateway.GatewayConfig;
import io.groupwire.gateway.GatewayService;
import io.groupwire.pacer.PacerConfig;
import io.groupwire.pacer.PacerService;
import io.groupwire.sandbox.SandboxConfig;
import io.groupwire.sandbox.SandboxService;
import io.groupwire.transport.TransportConfig;
import io.groupwire.transport.TransportService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every service started while Redis is down waits for it, says so on /health (503, Redis
 * unreachable), and begins without a restart once Redis answers: then a message goes through. The
 * services in this JVM, and the all-in-one runner as its own process.
 */
@Tag("fault")
class StartWithoutRedisTest {
    private static final String ADMIN = "start-without-redis-admin";
    private final ApiCalls api = new ApiCalls();

    @Test
    void gatewayTransportAndPacerStartedWithoutRedisBecomeReadyWhenItAnswersAndAMessageGoesThrough() throws Exception {
        Path dir = FaultSuite.workDir("no-redis-services");
        int redisPort = RedisProcess.freePort();
        Map<String, Integer> ports = Map.of("gateway", RedisProcess.freePort(), "transport", RedisProcess.freePort(),
                "pacer", RedisProcess.freePort());
        Map<String, String> vars = new HashMap<>(baseEnv(redisPort));
        vars.putAll(Map.of("GROUPWIRE_HTTP_PORT", ports.get("gateway").toString(),
                "GROUPWIRE_TRANSPORT_PORT", ports.get("transport").toString(),
                "GROUPWIRE_PACER_PORT", ports.get("pacer").toString()));
        Vertx vertx = Vertx.vertx();
        RedisProcess redis = null;
        try {
            SandboxService sandbox = await(SandboxService.start(vertx, SandboxConfig.fromEnv(new Env(vars), dir)));
            Env env = new Env(vars).with(sandbox.providerEnv());
            Future<TransportService> transport = TransportService.start(vertx, TransportConfig.fromEnv(env));
            Future<PacerService> pacer = PacerService.start(vertx, PacerConfig.fromEnv(env), env);
            Future<GatewayService> gateway = GatewayService.start(vertx, GatewayConfig.fromEnv(env));

            for (Map.Entry<String, Integer> service : ports.entrySet()) {
                assertWaitingForRedis(service.getKey(), service.getValue());
            }
            String gatewayUrl = "http://127.0.0.1:" + ports.get("gateway");
            ApiCalls.Answer refused = api.post(gatewayUrl, "/v1/users", ADMIN, new JsonObject().put("name", "x")).join();
            assertEquals(503, refused.status(), "the API while Redis is down: " + refused.body());
            assertFalse(transport.isComplete() || pacer.isComplete() || gateway.isComplete());

            redis = RedisServers.start(redisPort, dir.resolve("redis"), List.of());
            await(transport);
            await(pacer);
            await(gateway);
            for (Map.Entry<String, Integer> service : ports.entrySet()) {
                eventually(() -> api.get("http://127.0.0.1:" + service.getValue(), "/health").status() == 200);
            }
            aMessageGoesThrough(gatewayUrl, "http://127.0.0.1:" + sandbox.port());

            await(gateway.result().stop());
            await(pacer.result().stop());
            await(transport.result().stop());
            await(sandbox.stop());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (redis != null) {
                redis.close();
            }
        }
    }

    @Test
    void theAllInOneRunnerStartedWithoutItsRedisWaitsForIt() throws Exception {
        Path dir = FaultSuite.workDir("no-redis-runner");
        int redisPort = RedisProcess.freePort();
        int gatewayPort = RedisProcess.freePort();
        int sandboxPort = RedisProcess.freePort();
        Map<String, String> vars = new HashMap<>(baseEnv(redisPort));
        vars.putAll(Map.of("GROUPWIRE_HTTP_PORT", Integer.toString(gatewayPort),
                "GROUPWIRE_SANDBOX_PORT", Integer.toString(sandboxPort),
                "GROUPWIRE_DATA_DIR", dir.resolve("data").toString()));
        RedisProcess redis = null;
        try (ServiceProcess runner = new ServiceProcess("all", 0, vars, dir.resolve("logs"))) {
            runner.start();
            eventually(Duration.ofSeconds(60), () -> api.get("http://127.0.0.1:" + gatewayPort, "/health").status() == 503);
            assertWaitingForRedis("gateway", gatewayPort);
            redis = RedisServers.start(redisPort, dir.resolve("redis"), List.of());
            eventually(Duration.ofSeconds(30), () -> api.get("http://127.0.0.1:" + gatewayPort, "/health").status() == 200);
            aMessageGoesThrough("http://127.0.0.1:" + gatewayPort, "http://127.0.0.1:" + sandboxPort);
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    private static Map<String, String> baseEnv(int redisPort) {
        Map<String, String> vars = new HashMap<>(Map.of(
                "GROUPWIRE_REDIS_URL", "redis://127.0.0.1:" + redisPort,
                "GROUPWIRE_ADMIN_TOKEN", ADMIN,
                "GROUPWIRE_HTTP_HOST", "127.0.0.1",
                "GROUPWIRE_TRANSPORT_HOST", "127.0.0.1", "GROUPWIRE_TRANSPORT_PORT", "0",
                "GROUPWIRE_PACER_HOST", "127.0.0.1", "GROUPWIRE_PACER_PORT", "0",
                "GROUPWIRE_SANDBOX_HOST", "127.0.0.1", "GROUPWIRE_SANDBOX_PORT", "0",
                "GROUPWIRE_SANDBOX_APNS_PORT", "0"));
        vars.put("GROUPWIRE_IDLE_POLL", "5ms");
        vars.put("GROUPWIRE_REDIS_TIMEOUT", "500ms");
        return vars;
    }

    /** /health answers 503 and says Redis is unreachable and the service not ready. */
    private void assertWaitingForRedis(String service, int port) throws Exception {
        eventually(() -> api.get("http://127.0.0.1:" + port, "/health").status() == 503);
        JsonObject health = api.get("http://127.0.0.1:" + port, "/health").body();
        assertEquals("unreachable", health.getString("redis"), service + ": " + health);
        assertEquals(false, health.getBoolean("ready"), service + ": " + health);
        assertEquals(service, health.getString("service"));
    }

    /** A group of three with an APNs, an FCM and an SMS member; one message reaches the two others. */
    private void aMessageGoesThrough(String gateway, String sandbox) throws Exception {
        Population population = Population.create(api, gateway, ADMIN, 12, List.of(6), new Random(11));
        Population.Group group = population.groups().get(0);
        Population.Member sender = group.members().get(0);
        List<Population.Address> expected = Population.expected(group, sender.id());
        JsonObject accepted = api.require(gateway, "/v1/groups/" + group.id() + "/messages", sender.token(),
                new JsonObject().put("source_guid", "after-redis").put("text", "hello after the wait"), 202);
        String id = accepted.getString("id");
        eventually(Duration.ofSeconds(30), () -> receiptsOf(sandbox, id) >= expected.size());
    }

    private long receiptsOf(String sandbox, String messageId) {
        JsonArray received = api.get(sandbox, "/sandbox/received").body().getJsonArray("received", new JsonArray());
        return received.stream().map(JsonObject.class::cast)
                .filter(r -> messageId.equals(r.getString("message_id"))
                        || (r.getString("payload", "").contains("hello after the wait")))
                .count();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}

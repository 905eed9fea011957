package io.groupwire.deploy;

import static io.groupwire.core.testing.TestRedis.await;

import io.groupwire.core.config.Env;
import io.groupwire.core.testing.TestRedis;
import io.groupwire.gateway.GatewayConfig;
import io.groupwire.gateway.GatewayService;
import io.groupwire.pacer.PacerConfig;
import io.groupwire.pacer.PacerService;
import io.groupwire.sandbox.SandboxConfig;
import io.groupwire.sandbox.SandboxService;
import io.groupwire.transport.TransportConfig;
import io.groupwire.transport.TransportService;
import io.groupwire.transport.events.EventsConfig;
import io.groupwire.transport.events.EventsService;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The whole platform in this JVM for end-to-end tests: sandboxes, gateway, transport, pacer and the events role on free ports. */
final class Platform implements AutoCloseable {
    static final String ADMIN = "e2e-admin-token";

    final Vertx vertx = Vertx.vertx();
    final SandboxService sandbox;
    final GatewayService gateway;
    final TransportService transport;
    final PacerService pacer;
    final EventsService events;

    Platform(Map<String, String> extra) throws Exception {
        this(Map.of("GROUPWIRE_REDIS_URL", TestRedis.url()), extra);
    }

    /** @param redis where Redis is: {@code GROUPWIRE_REDIS_URL} or {@code GROUPWIRE_REDIS_CLUSTER_NODES} */
    Platform(Map<String, String> redis, Map<String, String> extra) throws Exception {
        Path dir = Files.createTempDirectory("groupwire-e2e");
        Map<String, String> vars = new HashMap<>(Map.of(
                "GROUPWIRE_ADMIN_TOKEN", ADMIN,
                "GROUPWIRE_HTTP_HOST", "127.0.0.1", "GROUPWIRE_HTTP_PORT", "0",
                "GROUPWIRE_TRANSPORT_HOST", "127.0.0.1", "GROUPWIRE_TRANSPORT_PORT", "0",
                "GROUPWIRE_PACER_HOST", "127.0.0.1", "GROUPWIRE_PACER_PORT", "0",
                "GROUPWIRE_SANDBOX_PORT", "0", "GROUPWIRE_SANDBOX_APNS_PORT", "0"));
        vars.put("GROUPWIRE_IDLE_POLL", "5ms");
        vars.put("GROUPWIRE_EVENTS_HOST", "127.0.0.1");
        vars.put("GROUPWIRE_EVENTS_PORT", "0");
        vars.put("GROUPWIRE_EVENTS_POLL", "10ms");
        vars.putAll(redis);
        vars.putAll(extra);
        Env env = new Env(vars);
        sandbox = await(SandboxService.start(vertx, SandboxConfig.fromEnv(env, dir)));
        env = env.with(sandbox.providerEnv());
        transport = await(TransportService.start(vertx, TransportConfig.fromEnv(env)));
        pacer = await(PacerService.start(vertx, PacerConfig.fromEnv(env), env));
        events = await(EventsService.start(vertx, EventsConfig.fromEnv(env)));
        gateway = await(GatewayService.start(vertx, GatewayConfig.fromEnv(env)));
    }

    @Override
    public void close() {
        await(gateway.stop());
        await(events.stop());
        await(pacer.stop());
        await(transport.stop());
        await(sandbox.stop());
        await(vertx.close());
    }
}

package io.groupwire.deploy;

import io.groupwire.console.ConsoleConfig;
import io.groupwire.console.ConsoleService;
import io.groupwire.core.config.Env;
import io.groupwire.core.metrics.VertxMeters;
import io.groupwire.core.redis.RedisProcess;
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
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the services a mode asks for, in dependency order, and stops them in reverse on SIGTERM
 * or Ctrl-C: the gateway stops accepting first, the transport and the pacer finish their batches
 * and give their shards back, the sandbox and the embedded Redis go last. A service whose Redis is
 * unreachable waits for it (its /health says not ready) instead of failing the start-up.
 */
final class Launcher {
    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Deque<Supplier<Future<Void>>> stops = new ArrayDeque<>();
    private final Vertx vertx = VertxMeters.create(new VertxOptions());
    private DataDir dataDir;
    private RedisProcess embeddedRedis;

    private Launcher() {
    }

    static void run(String mode) throws Exception {
        Launcher launcher = new Launcher();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            launcher.stopAll();
            stopped.countDown();
        }, "groupwire-shutdown"));
        try {
            launcher.start(mode, Env.system());
        } catch (Exception e) {
            LOG.error("start-up failed: {}", e.getMessage());
            System.err.println("groupwire: start-up failed: " + e.getMessage());
            System.exit(1);
        }
        stopped.await();
    }

    private void start(String mode, Env env) throws Exception {
        Path dataPath = Path.of(env.string("GROUPWIRE_DATA_DIR", "groupwire-data"));
        boolean all = mode.equals("all");
        if (all) {
            dataDir = DataDir.open(dataPath);
            // the all-in-one runner is for this machine: it listens on loopback unless told otherwise
            if (env.optional("GROUPWIRE_HTTP_HOST") == null) {
                env = env.with(Map.of("GROUPWIRE_HTTP_HOST", "127.0.0.1"));
            }
            // the sandbox's carrier signs inbound webhooks for the gateway's URL as this machine reaches it
            if (env.optional("GROUPWIRE_PUBLIC_BASE_URL") == null) {
                env = env.with(Map.of("GROUPWIRE_PUBLIC_BASE_URL", "http://127.0.0.1:" + env.integer("GROUPWIRE_HTTP_PORT", 8080)));
            }
            if (!RedisStartup.external(env)) {
                OrphanRedis.stopIfAny(RedisStartup.dir(dataPath));
            }
            env = AdminToken.ensure(env, dataPath);
        }
        Ports.checkFree(listeners(mode, env, dataPath));
        if (all) {
            embeddedRedis = RedisStartup.startIfNeeded(env, dataPath);
            if (embeddedRedis != null) {
                env = env.with(Map.of("GROUPWIRE_REDIS_URL", embeddedRedis.url()));
            }
        }
        if (all || mode.equals("sandbox")) {
            SandboxService sandbox = await(SandboxService.start(vertx, SandboxConfig.fromEnv(env, dataPath)));
            stops.push(sandbox::stop);
            if (all) {
                env = env.with(sandbox.providerEnv());
            }
        }
        // the services wait for Redis rather than fail without it: each serves /health (not ready)
        // at once and begins when Redis answers, so none is awaited before the next one starts
        List<Future<?>> started = new ArrayList<>();
        if (all || mode.equals("transport")) {
            started.add(service(TransportService.start(vertx, TransportConfig.fromEnv(env)), TransportService::stop));
        }
        if (all || mode.equals("events")) {
            started.add(service(EventsService.start(vertx, EventsConfig.fromEnv(env)), EventsService::stop));
        }
        if (all || mode.equals("pacer")) {
            PacerConfig config = PacerConfig.fromEnv(env);
            started.add(service(PacerService.start(vertx, config, env), PacerService::stop));
        }
        if (all || mode.equals("gateway")) {
            Future<GatewayService> gateway = service(GatewayService.start(vertx, GatewayConfig.fromEnv(env)),
                    GatewayService::stop);
            started.add(gateway);
            if (all) {
                Env bannerEnv = env;
                gateway.onSuccess(g -> banner(bannerEnv, dataPath, g.port()));
            }
        }
        if (all || mode.equals("console")) {
            started.add(service(ConsoleService.start(vertx, ConsoleConfig.fromEnv(env)), ConsoleService::stop));
        }
        Future.all(started)
                .onSuccess(v -> LOG.info("groupwire {} running", mode))
                .onFailure(e -> {
                    LOG.error("start-up failed: {}", e.getMessage());
                    System.err.println("groupwire: start-up failed: " + e.getMessage());
                    // not on the event loop that reported it: the shutdown hook needs the event loops
                    new Thread(() -> System.exit(1), "groupwire-exit").start();
                });
    }

    /**
     * Registers the stop of a service that is starting: a service stopped before it began has
     * nothing to drain, and closing Vert.x closes what it listens on.
     */
    private <S> Future<S> service(Future<S> starting, Function<S, Future<Void>> stop) {
        stops.push(() -> starting.succeeded() ? stop.apply(starting.result()) : Future.succeededFuture());
        return starting;
    }

    /** Every port {@code mode} listens on, as the services' own configurations say, for {@link Ports#checkFree}. */
    private static List<Ports.Listener> listeners(String mode, Env env, Path dataDir) {
        boolean all = mode.equals("all");
        List<Ports.Listener> out = new ArrayList<>();
        if (all && !RedisStartup.external(env)) {
            out.add(new Ports.Listener("the embedded Redis", "127.0.0.1", RedisStartup.port(env),
                    RedisStartup.PORT_VARIABLE, "set GROUPWIRE_REDIS_URL to use the Redis that listens there"));
        }
        if (all || mode.equals("sandbox")) {
            SandboxConfig sandbox = SandboxConfig.fromEnv(env, dataDir);
            out.add(new Ports.Listener("the sandbox providers", sandbox.host(), sandbox.port(), "GROUPWIRE_SANDBOX_PORT", null));
            // Pushy's mock server binds every interface: there is no address to check but that
            out.add(new Ports.Listener("the sandbox APNs", "0.0.0.0", sandbox.apnsPort(), "GROUPWIRE_SANDBOX_APNS_PORT", null));
        }
        if (all || mode.equals("transport")) {
            TransportConfig transport = TransportConfig.fromEnv(env);
            out.add(new Ports.Listener("the transport's /health and /metrics", transport.host(), transport.port(),
                    "GROUPWIRE_TRANSPORT_PORT", null));
        }
        if (all || mode.equals("events")) {
            EventsConfig events = EventsConfig.fromEnv(env);
            out.add(new Ports.Listener("the events role's /health and /metrics", events.host(), events.port(),
                    "GROUPWIRE_EVENTS_PORT", null));
        }
        if (all || mode.equals("pacer")) {
            PacerConfig pacer = PacerConfig.fromEnv(env);
            out.add(new Ports.Listener("the pacer's /health and /metrics", pacer.host(), pacer.port(), "GROUPWIRE_PACER_PORT", null));
        }
        if (all || mode.equals("gateway")) {
            GatewayConfig gateway = GatewayConfig.fromEnv(env);
            out.add(new Ports.Listener("the gateway's API", gateway.host(), gateway.port(), "GROUPWIRE_HTTP_PORT", null));
        }
        if (all || mode.equals("console")) {
            ConsoleConfig console = ConsoleConfig.fromEnv(env);
            out.add(new Ports.Listener("the operators' console", console.host(), console.port(), "GROUPWIRE_CONSOLE_PORT", null));
        }
        return out;
    }

    private static void banner(Env env, Path dataDir, int port) {
        String host = env.string("GROUPWIRE_HTTP_HOST", "127.0.0.1");
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        System.out.println();
        System.out.println("Groupwire is running.");
        System.out.println("  API:        http://" + shown + ":" + port + "/v1  (OpenAPI at /openapi.yaml)"
                + (shown.equals(host) ? "" : "  (listening on all interfaces)"));
        System.out.println("  Sandbox:    http://127.0.0.1:" + env.integer("GROUPWIRE_SANDBOX_PORT", 8090) + "/sandbox/received");
        System.out.println("  Metrics:    http://127.0.0.1:" + port + "/metrics, :" + env.integer("GROUPWIRE_TRANSPORT_PORT", 8081)
                + "/metrics (transport), :" + env.integer("GROUPWIRE_PACER_PORT", 8082) + "/metrics (pacer), :" + env.integer("GROUPWIRE_EVENTS_PORT", 8083) + "/metrics (events)");
        System.out.println("  Console:    http://" + env.string("GROUPWIRE_CONSOLE_HOST", "127.0.0.1") + ":"
                + env.integer("GROUPWIRE_CONSOLE_PORT", 8070) + "/  (operator token in " + AdminToken.operatorFile(dataDir) + ")");
        if (env.optional("GROUPWIRE_ADMIN_TOKEN") == null) {
            System.out.println("  Admin token: in " + AdminToken.file(dataDir) + "  (export ADMIN=$(cat " + AdminToken.file(dataDir) + "))");
        }
        System.out.println("Stop with Ctrl-C.");
        System.out.println();
    }

    private void stopAll() {
        while (!stops.isEmpty()) {
            try {
                stops.pop().get().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("a service did not stop cleanly: {}", e.toString());
            }
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Vert.x did not close cleanly: {}", e.toString());
        }
        if (embeddedRedis != null) {
            embeddedRedis.close();
        }
        if (dataDir != null) {
            dataDir.close();
        }
    }

    private static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }
}

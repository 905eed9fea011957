package io.groupwire.core.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Mounts {@code GET /health} and {@code GET /metrics} on a service's router: the two endpoints
 * every Groupwire service answers; {@code /metrics} adds the process's {@link VertxMeters}. Health is "up" (200) only once the service is ready and while
 * Redis answers PING, because no service can do its job without it; otherwise 503 with what is
 * missing, e.g. {@code {"status":"down","ready":false,"service":"pacer","redis":"unreachable"}} for
 * a service that started while Redis was away and waits for it.
 */
public final class ManagementRoutes {
    private static final long HEALTH_TIMEOUT_MS = 1_000;

    private ManagementRoutes() {
    }

    /** For a service that is ready as soon as it serves. */
    public static void mount(Router router, String service, PrometheusMeterRegistry registry, Redis redis) {
        mount(router, service, registry, redis, () -> true);
    }

    /** @param ready whether the service has started its work (say, after waiting for Redis) */
    public static void mount(Router router, String service, PrometheusMeterRegistry registry, Redis redis,
                             BooleanSupplier ready) {
        mount(router, service, registry, redis, ready, false);
    }

    /**
     * Like {@link #mount(Router, String, PrometheusMeterRegistry, Redis, BooleanSupplier)}; with
     * {@code metricsFromLoopbackOnly}, {@code /metrics} answers only clients on this host (others get
     * 404, as if it did not exist): for a port that also serves the public (the gateway's), where the
     * meters are nobody else's business.
     */
    public static void mount(Router router, String service, PrometheusMeterRegistry registry, Redis redis,
                             BooleanSupplier ready, boolean metricsFromLoopbackOnly) {
        router.get("/health").handler(ctx -> ping(redis).onComplete(ar -> {
            boolean reachable = ar.succeeded();
            boolean started = ready.getAsBoolean();
            boolean up = reachable && started;
            ctx.response()
                    .setStatusCode(up ? 200 : 503)
                    .putHeader("content-type", "application/json")
                    .end(new JsonObject().put("status", up ? "up" : "down").put("ready", started).put("service", service)
                            .put("redis", reachable ? "up" : "unreachable").encode());
        }));
        router.get("/metrics").handler(ctx -> {
            if (metricsFromLoopbackOnly && !fromLoopback(ctx.request().remoteAddress())) {
                ctx.response().setStatusCode(404).putHeader("content-type", "application/json")
                        .end(new JsonObject().put("error", new JsonObject().put("code", "not_found")
                                .put("message", "no such resource")).encode());
                return;
            }
            ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(registry.scrape() + VertxMeters.scrape());
        });
    }

    private static boolean fromLoopback(SocketAddress address) {
        if (address == null || address.hostAddress() == null) {
            return false;
        }
        try {
            return InetAddress.getByName(address.hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            // a literal address never needs a lookup; anything else is not a loopback peer
            return false;
        }
    }

    /** PING with a deadline: a Redis that hangs must make the service unhealthy, not the probe hang. */
    private static Future<Void> ping(Redis redis) {
        return redis.send(Request.cmd(Command.PING)).timeout(HEALTH_TIMEOUT_MS, TimeUnit.MILLISECONDS).mapEmpty();
    }
}

package io.groupwire.core.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.concurrent.TimeUnit;

/**
 * Mounts {@code GET /health} and {@code GET /metrics} on a service's router: the two endpoints
 * every Groupwire service answers; {@code /metrics} adds the process's {@link VertxMeters}. Health is "up" only while Redis answers PING, because no
 * service can do its job without it.
 */
public final class ManagementRoutes {
    private static final long HEALTH_TIMEOUT_MS = 1_000;

    private ManagementRoutes() {
    }

    public static void mount(Router router, String service, PrometheusMeterRegistry registry, Redis redis) {
        router.get("/health").handler(ctx -> ping(redis).onComplete(ar -> {
            boolean up = ar.succeeded();
            ctx.response()
                    .setStatusCode(up ? 200 : 503)
                    .putHeader("content-type", "application/json")
                    .end(new JsonObject().put("status", up ? "up" : "down").put("service", service)
                            .put("redis", up ? "up" : "down").encode());
        }));
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape() + VertxMeters.scrape()));
    }

    /** PING with a deadline: a Redis that hangs must make the service unhealthy, not the probe hang. */
    private static Future<Void> ping(Redis redis) {
        return redis.send(Request.cmd(Command.PING)).timeout(HEALTH_TIMEOUT_MS, TimeUnit.MILLISECONDS).mapEmpty();
    }
}

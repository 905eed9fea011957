package io.groupwire.core.metrics;

import io.groupwire.core.http.BrokenRequests;
import io.groupwire.core.http.HttpLimits;
import io.groupwire.core.http.HttpServerGuard;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Redis;
import java.util.function.BooleanSupplier;

/**
 * The HTTP server of a service that has no API of its own: just {@code /health} and {@code /metrics},
 * with the default {@link HttpLimits} against malformed and slow clients.
 */
public final class ManagementServer {
    private ManagementServer() {
    }

    public static Future<HttpServer> start(Vertx vertx, String service, PrometheusMeterRegistry registry, Redis redis,
                                           String host, int port) {
        return start(vertx, service, registry, redis, () -> true, host, port);
    }

    /** As above, for a service that says whether it is ready (see {@link ManagementRoutes}). */
    public static Future<HttpServer> start(Vertx vertx, String service, PrometheusMeterRegistry registry, Redis redis,
                                           BooleanSupplier ready, String host, int port) {
        Router router = Router.router(vertx);
        ManagementRoutes.mount(router, service, registry, redis, ready);
        BrokenRequests.answerQuietly(router);
        return new HttpServerGuard(service, HttpLimits.defaults()).create(vertx).requestHandler(router).listen(port, host);
    }
}

package io.groupwire.gateway;

import io.groupwire.core.metrics.ManagementRoutes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Redis;

/**
 * What the gateway serves from the moment it listens: until Redis has answered and the API is
 * built, {@code /health} says not ready (503, Redis unreachable), {@code /metrics} answers, and
 * every other request gets 503 with Retry-After, as during an outage; then every request goes to
 * the full API. So a gateway started while Redis is away waits for it instead of exiting.
 */
final class StartingRoutes implements Handler<HttpServerRequest> {
    private final Router waiting;
    private volatile Router api;

    /** @param metricsFromLoopbackOnly as the API port's {@code /metrics} answers (GROUPWIRE_GATEWAY_METRICS) */
    StartingRoutes(Vertx vertx, PrometheusMeterRegistry registry, Redis redis, boolean metricsFromLoopbackOnly) {
        this.waiting = Router.router(vertx);
        ManagementRoutes.mount(waiting, "gateway", registry, redis, () -> false, metricsFromLoopbackOnly);
        waiting.route().handler(ctx -> ErrorResponses.send(ctx,
                ApiException.unavailable("the gateway is starting: storage is not reachable yet; retry")));
    }

    /** From now on, every request goes to {@code root}. */
    void serve(Router root) {
        this.api = root;
    }

    @Override
    public void handle(HttpServerRequest request) {
        Router root = api;
        (root != null ? root : waiting).handle(request);
    }
}

package io.groupwire.gateway;

import io.groupwire.core.redis.Shards;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Redis;

/**
 * The place where the deploy module adds the operators' pages (the dashboard) to the gateway's
 * HTTP server. Routes mounted here sit on the root router beside {@code /health} and
 * {@code /metrics}, before the API, and are not covered by the API's bearer authentication: they
 * must bring their own. They must not use the {@code /v1} prefix, which belongs to the API.
 */
@FunctionalInterface
public interface OperatorRoutes {
    /** No operator routes. */
    OperatorRoutes NONE = (router, redis, shards, registry) -> { };

    /**
     * Adds routes to the gateway's root router.
     *
     * @param router   the root router
     * @param redis    the gateway's Redis client (shared: do not close it)
     * @param shards   the deployment's shards, as agreed at start
     * @param registry the gateway's meters, for showing or for adding to
     */
    void mount(Router router, Redis redis, Shards shards, PrometheusMeterRegistry registry);
}

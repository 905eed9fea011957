package io.groupwire.gateway;

import io.groupwire.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The gateway's meters: accepted, refused and duplicate messages (the shared names of
 * {@link MetricNames}) and a timer of every API request by operation and status.
 */
final class GatewayMetrics {
    /** Timer, tags operation (the OpenAPI operationId) and status. Prometheus: groupwire_gateway_requests_seconds. */
    static final String REQUESTS = MetricNames.GATEWAY_REQUESTS;

    /** Histogram buckets of the request timer: few enough to keep per-operation series cheap. */
    private static final Duration[] BUCKETS = Stream.of(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500)
            .map(Duration::ofMillis).toArray(Duration[]::new);

    /**
     * Counter: device registrations that ended because another user registered the same token.
     * Prometheus: groupwire_gateway_device_registrations_moved_total.
     */
    static final String DEVICES_MOVED = "groupwire.gateway.device.registrations.moved";

    /** Counter, tag limit: requests refused with 429. */
    static final String RATE_LIMITED = "groupwire.gateway.rate.limited";

    private final MeterRegistry registry;
    private final Counter devicesMoved;
    private final Counter accepted;
    private final Counter duplicates;

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.accepted = registry.counter(MetricNames.MESSAGES_ACCEPTED);
        this.duplicates = registry.counter(MetricNames.DUPLICATES_SUPPRESSED, "stage", "gateway");
        this.devicesMoved = registry.counter(DEVICES_MOVED);
    }

    void accepted() {
        accepted.increment();
    }

    void duplicate() {
        duplicates.increment();
    }

    /** A device token moved to another user; the previous owner's registration ended. */
    void deviceMoved() {
        devicesMoved.increment();
    }

    /**
     * A request refused because a rate limit's bucket was empty; {@code limit} names the limit.
     * Prometheus: groupwire_gateway_rate_limited_total{limit}.
     */
    void rateLimited(String limit) {
        registry.counter(RATE_LIMITED, "limit", limit).increment();
    }

    /** A message the gateway refused; {@code reason} is the error code the client got. */
    void refused(String reason) {
        registry.counter(MetricNames.MESSAGES_REFUSED, "reason", reason).increment();
    }

    /** A root handler that times each request until its response has been written. */
    Handler<RoutingContext> requestTimer() {
        return ctx -> {
            Timer.Sample sample = Timer.start(registry);
            ctx.addEndHandler(done -> sample.stop(Timer.builder(REQUESTS)
                    .tag("operation", Operations.current(ctx))
                    .tag("status", Integer.toString(ctx.response().getStatusCode()))
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry)));
            ctx.next();
        };
    }
}

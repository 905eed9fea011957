package io.groupwire.core.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * Vert.x's own meters (HTTP servers and clients, connection pools, the event bus) through
 * vertx-micrometer-metrics, in a Prometheus registry of the process that every service's
 * {@code /metrics} shows after the service's own meters. The registry is the process's, not a
 * service's, because one Vert.x runs several services in the all-in-one mode: its series carry no
 * {@code service} tag.
 */
public final class VertxMeters {
    /** The name vertx-micrometer-metrics files the registry under, and {@link #scrape()} finds it by. */
    static final String REGISTRY = "groupwire-vertx";

    private VertxMeters() {
    }

    /** A Vert.x that records its meters for {@code /metrics}. */
    public static Vertx create(VertxOptions options) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        return Vertx.builder()
                .with(options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setRegistryName(REGISTRY)))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
    }

    /** The process's Vert.x meters as Prometheus text; empty when Vert.x runs without them (tests). */
    static String scrape() {
        return BackendRegistries.getNow(REGISTRY) instanceof PrometheusMeterRegistry p ? p.scrape() : "";
    }
}

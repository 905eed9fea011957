package io.groupwire.core.metrics;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * Builds the Prometheus registry of one service: a {@code service} tag on every meter, JVM
 * metrics, and histogram buckets (not just summaries) for the latency timers so that dashboards
 * can aggregate them across instances. The registry is a {@link LatencyTapRegistry}, so that the
 * instance report gets the delivery latencies as HdrHistogram intervals too.
 */
public final class ServiceMetrics {
    private ServiceMetrics() {
    }

    public static PrometheusMeterRegistry create(String service) {
        PrometheusMeterRegistry registry = new LatencyTapRegistry();
        registry.config().commonTags("service", service);
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getName().equals(MetricNames.DELIVERY_LATENCY) || id.getName().equals(MetricNames.PROVIDER_REQUEST)) {
                    return DistributionStatisticConfig.builder()
                            .percentilesHistogram(true)
                            .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                            .maximumExpectedValue((double) Duration.ofHours(2).toNanos())
                            .build().merge(config);
                }
                return config;
            }
        });
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        return registry;
    }
}

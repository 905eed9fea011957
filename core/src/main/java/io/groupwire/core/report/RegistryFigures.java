package io.groupwire.core.report;

import io.groupwire.core.message.Channel;
import io.groupwire.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a service's running totals of the {@link FigureNames figures} from its meters, the same
 * counters {@code /metrics} shows, so that the report and Prometheus cannot disagree. A figure whose
 * meters the service does not have reads 0 and is left out.
 */
final class RegistryFigures {
    private RegistryFigures() {
    }

    static Map<String, Long> totals(MeterRegistry registry) {
        Map<String, Long> t = new TreeMap<>();
        put(t, FigureNames.ACCEPTED, counters(registry, MetricNames.MESSAGES_ACCEPTED, null, null));
        put(t, FigureNames.REFUSED, counters(registry, MetricNames.MESSAGES_REFUSED, null, null));
        long unavailable = 0;
        for (Timer timer : registry.find(MetricNames.GATEWAY_REQUESTS).tag("status", "503").timers()) {
            unavailable += timer.count();
        }
        put(t, FigureNames.UNAVAILABLE, unavailable);
        put(t, FigureNames.FANNED_OUT, counters(registry, MetricNames.MESSAGES_FANNED_OUT, null, null));
        put(t, FigureNames.MESSAGES_EXPIRED, counters(registry, MetricNames.MESSAGES_EXPIRED, null, null));
        for (Channel c : Channel.values()) {
            String ch = c.id();
            put(t, FigureNames.of(c, FigureNames.QUEUED), counters(registry, MetricNames.DELIVERIES_QUEUED, ch, null));
            put(t, FigureNames.of(c, "sent"), counters(registry, MetricNames.DELIVERIES_DELIVERED, ch, null));
            put(t, FigureNames.of(c, "retried"), counters(registry, MetricNames.DELIVERY_ATTEMPTS, ch, "retry"));
            // a dead destination is a delivery that failed for good, like a refused one
            put(t, FigureNames.of(c, "failed"), counters(registry, MetricNames.DELIVERY_ATTEMPTS, ch, "failed")
                    + counters(registry, MetricNames.DELIVERY_ATTEMPTS, ch, "dead"));
            put(t, FigureNames.of(c, "expired"), counters(registry, MetricNames.DELIVERIES_EXPIRED, ch, null));
            put(t, FigureNames.of(c, "ambiguous"), counters(registry, MetricNames.DELIVERIES_AMBIGUOUS, ch, null));
            put(t, FigureNames.of(c, "dead_lettered"), counters(registry, MetricNames.DELIVERIES_DEAD_LETTERED, ch, null));
        }
        return t;
    }

    private static long counters(MeterRegistry registry, String name, String channel, String outcome) {
        var search = registry.find(name);
        if (channel != null) {
            search = search.tag("channel", channel);
        }
        if (outcome != null) {
            search = search.tag("outcome", outcome);
        }
        double sum = 0;
        for (Counter c : search.counters()) {
            sum += c.count();
        }
        return (long) sum;
    }

    private static void put(Map<String, Long> t, String name, long value) {
        if (value != 0) {
            t.put(name, value);
        }
    }
}

package io.groupwire.pacer;

import io.groupwire.core.message.Channel;
import io.groupwire.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The pacer's meters for one channel, registered once. */
final class PacerMetrics {
    private final MeterRegistry registry;
    private final Channel channel;
    final Timer latency;
    final Timer providerRequest;
    final Counter delivered;
    final Counter expired;
    final Counter ambiguous;
    final Counter duplicates;
    final Counter throttled;
    final Counter removed;
    final Counter deadLettered;
    final AtomicLong outboxDepth = new AtomicLong();
    final AtomicLong retryDepth = new AtomicLong();
    /** Deliveries marked sending (or being marked) by this instance and not yet recorded, all outboxes of the channel. */
    final AtomicLong sendsInFlight = new AtomicLong();
    private static final int MAX_CACHED_REASONS = 256;
    private final ConcurrentHashMap<String, Counter> attempts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Map<String, Counter>> attemptsByOutcome = new ConcurrentHashMap<>();

    PacerMetrics(MeterRegistry registry, Channel channel) {
        this.registry = registry;
        this.channel = channel;
        Tags tags = Tags.of("channel", channel.id());
        latency = Timer.builder(MetricNames.DELIVERY_LATENCY).tags(tags)
                .description("accept to provider acceptance").register(registry);
        providerRequest = Timer.builder(MetricNames.PROVIDER_REQUEST).tags(tags).register(registry);
        delivered = registry.counter(MetricNames.DELIVERIES_DELIVERED, tags);
        expired = registry.counter(MetricNames.DELIVERIES_EXPIRED, tags);
        ambiguous = registry.counter(MetricNames.DELIVERIES_AMBIGUOUS, tags);
        duplicates = registry.counter(MetricNames.DUPLICATES_SUPPRESSED, tags.and("stage", "pacer"));
        throttled = registry.counter(MetricNames.PACER_THROTTLED, tags);
        removed = registry.counter(MetricNames.DESTINATIONS_REMOVED, tags);
        deadLettered = registry.counter(MetricNames.DELIVERIES_DEAD_LETTERED, tags);
        registry.gauge(MetricNames.OUTBOX_DEPTH, tags, outboxDepth);
        registry.gauge(MetricNames.RETRY_DEPTH, tags, retryDepth);
        registry.gauge(MetricNames.PACER_SENDS_IN_FLIGHT, tags, sendsInFlight);
    }

    void attempt(String outcome, String reason) {
        String r = reason == null ? "" : reason;
        // one lookup per delivery: cleaning the label (a regex) once per distinct raw reason, not per send
        Map<String, Counter> byReason = attemptsByOutcome.computeIfAbsent(outcome, k -> new ConcurrentHashMap<>());
        Counter c = byReason.get(r);
        if (c == null) {
            c = counter(outcome, r);
            // reasons are the providers' words: remember a bounded number of raw forms
            if (byReason.size() < MAX_CACHED_REASONS) {
                byReason.put(r, c);
            }
        }
        c.increment();
    }

    private Counter counter(String outcome, String reason) {
        // reasons come from providers: keep the label set small and safe
        String r = reason.replaceAll("[^A-Za-z0-9_.-]", "_");
        if (r.length() > 40) {
            r = r.substring(0, 40);
        }
        String label = r;
        return attempts.computeIfAbsent(outcome + "|" + label, k -> registry.counter(MetricNames.DELIVERY_ATTEMPTS,
                "channel", channel.id(), "outcome", outcome, "reason", label));
    }

    void delivered(long acceptedAtMillis, long nowMillis) {
        delivered.increment();
        latency.record(Math.max(0, nowMillis - acceptedAtMillis), TimeUnit.MILLISECONDS);
    }
}

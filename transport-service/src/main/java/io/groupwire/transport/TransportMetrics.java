package io.groupwire.transport;

import io.groupwire.core.message.Channel;
import io.groupwire.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** The transport's meters, registered once. */
final class TransportMetrics {
    final Counter fannedOut;
    final Counter expired;
    final Counter deadLettered;
    final Counter duplicates;
    final Map<Channel, Counter> queued = new EnumMap<>(Channel.class);
    final AtomicLong mailboxDepth = new AtomicLong();
    final AtomicLong mailboxInflight = new AtomicLong();

    TransportMetrics(MeterRegistry registry) {
        fannedOut = registry.counter(MetricNames.MESSAGES_FANNED_OUT);
        expired = registry.counter(MetricNames.MESSAGES_EXPIRED);
        deadLettered = registry.counter("groupwire.messages.dead.lettered");
        duplicates = registry.counter(MetricNames.DUPLICATES_SUPPRESSED, "stage", "transport");
        for (Channel c : Channel.values()) {
            queued.put(c, registry.counter(MetricNames.DELIVERIES_QUEUED, "channel", c.id()));
        }
        registry.gauge(MetricNames.MAILBOX_DEPTH, mailboxDepth);
        registry.gauge(MetricNames.MAILBOX_INFLIGHT, mailboxInflight);
        this.registry = registry;
    }

    private final MeterRegistry registry;

    /** An SMS not sent because its phone does not want it ({@code opted_out}, {@code muted}). */
    void suppressed(String reason) {
        registry.counter("groupwire.sms.suppressed", "reason", reason).increment();
    }
}

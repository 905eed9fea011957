package io.groupwire.deploy.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Joins what the load generator intended with what the providers accepted: the intended send time
 * of each message (open loop, so that a stalled system cannot hide its latency by slowing the
 * load: coordinated omission) and the moment each of its deliveries was accepted.
 */
final class DeliveryClock {
    private final Map<String, Long> intended = new ConcurrentHashMap<>();
    private final Map<String, long[]> accepted = new ConcurrentHashMap<>();
    final AtomicLong deliveries = new AtomicLong();

    void sent(String messageId, long intendedNanos) {
        intended.put(messageId, intendedNanos);
    }

    void delivered(String messageId) {
        long now = System.nanoTime();
        deliveries.incrementAndGet();
        accepted.merge(messageId, new long[] {now, now, 1},
                (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1]), a[2] + b[2]});
    }

    /** Intended send time of a message, or null if it was not sent by this clock's load. */
    Long intendedOf(String messageId) {
        return intended.get(messageId);
    }

    /** {first, last, count} of a message's deliveries, or null. */
    long[] acceptedOf(String messageId) {
        return accepted.get(messageId);
    }

    Iterable<String> messages() {
        return intended.keySet();
    }

    void clear() {
        intended.clear();
        accepted.clear();
    }
}

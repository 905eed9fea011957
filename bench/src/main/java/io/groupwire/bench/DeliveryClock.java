package io.groupwire.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Joins what the load generator intended with what the providers accepted: the intended send time
 * of each message (open loop, so that a stalled system cannot hide its latency by slowing the
 * load: coordinated omission) and the moment each of its deliveries was accepted. A message is
 * recorded in the latency histogram, and forgotten, as soon as both its send and its last delivery
 * are known, so the clock holds only messages in flight: a long soak measures the platform's
 * memory, not the bench's.
 */
final class DeliveryClock {
    /** What is known of one message in flight; guarded by the map's compute. */
    private static final class Track {
        long intended = -1;
        long last;
        int count;
    }

    private final int fanout;
    private final Map<String, Track> inFlight = new ConcurrentHashMap<>();
    private Histogram latency = newHistogram();
    final AtomicLong deliveries = new AtomicLong();

    DeliveryClock(int fanout) {
        this.fanout = fanout;
    }

    void sent(String messageId, long intendedNanos) {
        inFlight.compute(messageId, (id, t) -> {
            Track track = t == null ? new Track() : t;
            track.intended = intendedNanos;
            return settle(track);
        });
    }

    void delivered(String messageId) {
        long now = System.nanoTime();
        deliveries.incrementAndGet();
        inFlight.compute(messageId, (id, t) -> {
            Track track = t == null ? new Track() : t;
            track.last = Math.max(track.last, now);
            track.count++;
            return settle(track);
        });
    }

    /** Records a message whose send and last delivery are both known, and drops it (null). */
    private Track settle(Track t) {
        if (t.intended < 0 || t.count < fanout) {
            return t;
        }
        synchronized (this) {
            latency.recordValue(Math.max(0, t.last - t.intended));
        }
        return null;
    }

    /** Forgets everything in flight and starts a new latency histogram. */
    synchronized void clear() {
        inFlight.clear();
        latency = newHistogram();
    }

    /** The latency of every message completed since {@link #clear}, from its intended send time. */
    synchronized Histogram latency() {
        return latency.copy();
    }

    /** Messages sent since {@link #clear} whose deliveries have not all been accepted. */
    long incomplete() {
        return inFlight.values().stream().filter(t -> t.intended >= 0).count();
    }

    /** Messages the clock is tracking now (sent or partly delivered). */
    int tracked() {
        return inFlight.size();
    }

    private static Histogram newHistogram() {
        return new Histogram(java.time.Duration.ofMinutes(10).toNanos(), 3);
    }
}

package io.groupwire.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-memory record of everything the sandbox providers accepted, shared by the APNs, FCM and
 * SMS sandboxes of one process. Thread-safe; bounded so that a long local run cannot exhaust the
 * heap (the oldest entries go first, and {@link #dropped()} says how many).
 */
public final class ReceivedLog {
    private final ConcurrentLinkedQueue<ReceivedDelivery> entries = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final int capacity;

    public ReceivedLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    public ReceivedLog() {
        this(1_000_000);
    }

    public void record(ReceivedDelivery delivery) {
        entries.add(delivery);
        if (size.incrementAndGet() > capacity && entries.poll() != null) {
            size.decrementAndGet();
            dropped.incrementAndGet();
        }
    }

    /** A snapshot, oldest first. */
    public List<ReceivedDelivery> all() {
        return new ArrayList<>(entries);
    }

    /** A snapshot of one channel's entries, oldest first. */
    public List<ReceivedDelivery> channel(String channel) {
        List<ReceivedDelivery> out = new ArrayList<>();
        for (ReceivedDelivery d : entries) {
            if (d.channel().equals(channel)) {
                out.add(d);
            }
        }
        return out;
    }

    public int size() {
        return size.get();
    }

    public int dropped() {
        return dropped.get();
    }

    public void clear() {
        entries.clear();
        size.set(0);
        dropped.set(0);
    }
}

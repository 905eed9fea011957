package io.groupwire.pacer;

/**
 * Bounds the requests in progress to one provider from this instance (a bulkhead: a slow provider
 * must not pile up unbounded futures). Used only from the pacer's event-loop context.
 */
final class ChannelPermits {
    private final int max;
    private int used;

    ChannelPermits(int max) {
        this.max = max;
    }

    int available() {
        return max - used;
    }

    void take(int n) {
        used += n;
    }

    void release(int n) {
        used -= n;
    }

    int inUse() {
        return used;
    }
}

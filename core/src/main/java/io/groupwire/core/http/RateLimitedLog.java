package io.groupwire.core.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * One log line per interval at most, however many events: an unauthenticated client can make the
 * server refuse requests as fast as it can send them, and must not be able to flood the log with
 * them. The line that is written says how many were left out and describes the latest event in one
 * line, never with a stack trace.
 */
final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong nextLineAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger log, Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    /** Logs {@code what} at INFO unless a line was written less than an interval ago. */
    void info(String what) {
        long now = System.nanoTime();
        long next = nextLineAt.get();
        if ((next != Long.MIN_VALUE && now - next < 0) || !nextLineAt.compareAndSet(next, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long left = suppressed.getAndSet(0);
        if (left == 0) {
            log.info("{}", what);
        } else {
            log.info("{} ({} more like it not logged)", what, left);
        }
    }
}

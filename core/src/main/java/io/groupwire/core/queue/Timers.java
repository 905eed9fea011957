package io.groupwire.core.queue;

import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Every timer of one {@link LeasedLoopRunner} (its lease rounds, its loops' waits, the service's
 * periodic work), so that stopping the runner cancels all of them at once. Once {@link #cancelAll}
 * ran, nothing more is scheduled: a stopped instance sends Redis nothing further.
 *
 * <p>A timer fires on the Vert.x context that set it.
 */
public final class Timers {
    private final Vertx vertx;
    private final Set<Long> live = new HashSet<>();
    private boolean cancelled;

    public Timers(Vertx vertx) {
        this.vertx = Objects.requireNonNull(vertx);
    }

    /**
     * Runs {@code action} once after {@code delayMillis} (at least 1 ms).
     *
     * @return the timer's id for {@link #cancel}, or -1 when these timers were cancelled already
     */
    public long once(long delayMillis, Runnable action) {
        return schedule(delayMillis, false, action);
    }

    /**
     * Runs {@code action} every {@code periodMillis} (at least 1 ms) until cancelled.
     *
     * @return the timer's id for {@link #cancel}, or -1 when these timers were cancelled already
     */
    public long every(long periodMillis, Runnable action) {
        return schedule(periodMillis, true, action);
    }

    /** Cancels one timer; an id of -1 or of a timer that fired already is ignored. */
    public synchronized void cancel(long id) {
        if (live.remove(id)) {
            vertx.cancelTimer(id);
        }
    }

    /** Cancels every timer and refuses new ones. */
    public synchronized void cancelAll() {
        cancelled = true;
        for (long id : live) {
            vertx.cancelTimer(id);
        }
        live.clear();
    }

    /** Whether {@link #cancelAll} ran. */
    public synchronized boolean cancelled() {
        return cancelled;
    }

    /** Timers set and not yet fired (one-shot) or cancelled. */
    public synchronized int pending() {
        return live.size();
    }

    // holding the lock until the id is recorded: a timer cannot fire before it is known
    private synchronized long schedule(long millis, boolean periodic, Runnable action) {
        if (cancelled) {
            return -1;
        }
        long ms = Math.max(1, millis);
        // a cancellation racing with the firing is decided under the lock: what was cancelled does not run
        long id = periodic
                ? vertx.setPeriodic(ms, t -> {
                    if (isLive(t)) {
                        action.run();
                    }
                })
                : vertx.setTimer(ms, t -> {
                    if (forget(t)) {
                        action.run();
                    }
                });
        live.add(id);
        return id;
    }

    private synchronized boolean forget(long id) {
        return live.remove(id);
    }

    private synchronized boolean isLive(long id) {
        return live.contains(id);
    }
}

package io.groupwire.core.queue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consuming loop of one leased queue, whatever it does with what it claims: runs one
 * {@link #round} after another on the Vert.x context that started it, at once after a
 * {@link Round.Continue}, with a doubling pause (up to the idle poll) after each {@link Round.Idle},
 * after the stated delay for a {@link Round.WaitFor}, with a doubling back-off (up to two seconds)
 * while rounds fail, and stops for good when the lease is lost.
 *
 * <p>A {@link LeasedLoopRunner} starts and stops it; its waits are timers of the runner's
 * {@link Timers}. Stopping lets the round in progress finish and cancels the wait for the next one.
 */
public abstract class QueueLoop {
    private static final Logger LOG = LoggerFactory.getLogger(QueueLoop.class);
    private static final long MAX_ERROR_BACKOFF_MS = 2_000;

    protected final Vertx vertx;
    private final String name;
    private final long idlePollMillis;
    private Timers timers;
    private long idleMs;
    private long errorMs;
    private long nextRound = -1;
    private boolean inRound;
    private boolean stopping;
    private Promise<Void> stopped;
    private Runnable onLeaseLost = () -> { };

    /**
     * @param name     the queue, for the logs
     * @param idlePoll the longest pause between rounds that find nothing to do
     */
    protected QueueLoop(Vertx vertx, String name, Duration idlePoll) {
        this.vertx = vertx;
        this.name = name;
        this.idlePollMillis = Math.max(1, idlePoll.toMillis());
    }

    /**
     * One round of work; says when the next one should run. A failed round is tried again after a
     * back-off: it must keep what it claimed and resume with it. A round that finds its lease gone
     * fails with {@link LeaseLostException}, which stops the loop.
     */
    protected abstract Future<Round> round();

    /** Called when the lease was lost: forget what was claimed, the next owner recovers it. */
    protected void leaseLost() {
    }

    /**
     * Completes after {@code millis}: a wait inside a round (say, for tokens), on the runner's timers
     * like the loop's own waits. Fails when the runner cancelled its timers already.
     */
    protected Future<Void> sleep(long millis) {
        Promise<Void> done = Promise.promise();
        if (timers == null || timers.once(millis, () -> done.tryComplete()) < 0) {
            done.fail(new IllegalStateException(name + ": stopped"));
        }
        return done.future();
    }

    /** What to do once this loop stopped because its lease was lost: typically, let the queue be taken again. */
    QueueLoop onLeaseLost(Runnable action) {
        this.onLeaseLost = action;
        return this;
    }

    /** Starts the rounds on the caller's context; every wait is one of {@code timers}. */
    void start(Timers timers) {
        this.timers = timers;
        vertx.runOnContext(v -> step());
    }

    /**
     * Stops after the round in progress, cancelling the wait for the next one; completes when no
     * round is in progress and none will start.
     */
    Future<Void> stop() {
        if (stopped == null) {
            stopped = Promise.promise();
            stopping = true;
        }
        if (!inRound) {
            cancelNextRound();
            stopped.tryComplete();
        }
        return stopped.future();
    }

    /** Whether a round is running now (not waiting for the next one). */
    boolean inRound() {
        return inRound;
    }

    private void step() {
        nextRound = -1;
        if (stopping) {
            stopped.tryComplete();
            return;
        }
        inRound = true;
        Future<Round> round;
        try {
            round = round();
        } catch (RuntimeException e) {
            round = Future.failedFuture(e);
        }
        round.onComplete(ar -> {
            inRound = false;
            if (ar.succeeded()) {
                next(ar.result());
            } else {
                failed(ar.cause());
            }
        });
    }

    private void next(Round round) {
        errorMs = 0;
        if (round instanceof Round.Continue) {
            idleMs = 0;
            if (stopping) {
                stopped.tryComplete();
            } else {
                vertx.runOnContext(v -> step());
            }
        } else if (round instanceof Round.WaitFor wait) {
            schedule(wait.delay().toMillis());
        } else {
            idleMs = Math.min(Math.max(1, idleMs * 2), idlePollMillis);
            schedule(idleMs);
        }
    }

    private void failed(Throwable e) {
        if (e instanceof LeaseLostException) {
            LOG.warn("{}: lease lost, stopping", name);
            leaseLost();
            stop();
            onLeaseLost.run();
            return;
        }
        errorMs = Math.min(Math.max(50, errorMs * 2), MAX_ERROR_BACKOFF_MS);
        LOG.warn("{}: round failed, retrying in {} ms: {}", name, errorMs, e.toString());
        schedule(errorMs);
    }

    private void schedule(long ms) {
        if (stopping) {
            stopped.tryComplete();
            return;
        }
        nextRound = timers.once(ms, this::step);
        if (nextRound < 0) {
            // the runner cancelled its timers: there is no next round
            stop();
        }
    }

    private void cancelNextRound() {
        if (timers != null && nextRound >= 0) {
            timers.cancel(nextRound);
            nextRound = -1;
        }
    }
}

package io.groupwire.core.queue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consuming loop of one leased queue, whatever it does with what it claims: runs one
 * {@link #round} after another on the Vert.x context that started it, at once while there is work,
 * with a doubling pause (up to the idle poll) while there is none, with a doubling back-off (up to
 * two seconds) while rounds fail, and stops for good when the lease is lost. {@link #stop} lets the
 * round in progress finish first.
 */
public abstract class QueueLoop {
    private static final Logger LOG = LoggerFactory.getLogger(QueueLoop.class);
    private static final long MAX_ERROR_BACKOFF_MS = 2_000;

    protected final Vertx vertx;
    private final String name;
    private final long idlePollMillis;
    private long idleMs;
    private long errorMs;
    private boolean stopping;
    private Promise<Void> stopped;
    private Runnable onLeaseLost = () -> { };

    protected QueueLoop(Vertx vertx, String name, long idlePollMillis) {
        this.vertx = vertx;
        this.name = name;
        this.idlePollMillis = Math.max(1, idlePollMillis);
    }

    /**
     * One round of work. Completes with the number of entries handled (the next round follows at
     * once), 0 when there was nothing to do (the next round waits a little longer each time), or a
     * negative number: wait that many milliseconds (a rate limit says so). A failed round is tried
     * again after a back-off; it must keep what it claimed and resume with it.
     */
    protected abstract Future<Integer> round();

    /** Called when the lease was lost: forget what was claimed, the next owner recovers it. */
    protected void leaseLost() {
    }

    /** What to do once this loop stopped because its lease was lost: typically, let the queue be taken again. */
    public QueueLoop onLeaseLost(Runnable action) {
        this.onLeaseLost = action;
        return this;
    }

    public void start() {
        vertx.runOnContext(v -> step());
    }

    /** Stops after the round in progress; completes when no round is in progress. */
    public Future<Void> stop() {
        if (stopped == null) {
            stopped = Promise.promise();
            stopping = true;
        }
        return stopped.future();
    }

    private void step() {
        if (stopping) {
            stopped.tryComplete();
            return;
        }
        round().onSuccess(n -> {
            errorMs = 0;
            if (n > 0) {
                idleMs = 0;
                vertx.runOnContext(v -> step());
            } else if (n == 0) {
                idleMs = Math.min(Math.max(1, idleMs * 2), idlePollMillis);
                schedule(idleMs);
            } else {
                schedule(-n);
            }
        }).onFailure(e -> {
            if (e instanceof LeaseLostException) {
                LOG.warn("{}: lease lost, stopping", name);
                leaseLost();
                stop();
                stopped.tryComplete();
                onLeaseLost.run();
                return;
            }
            errorMs = Math.min(Math.max(50, errorMs * 2), MAX_ERROR_BACKOFF_MS);
            LOG.warn("{}: round failed, retrying in {} ms: {}", name, errorMs, e.toString());
            schedule(errorMs);
        });
    }

    private void schedule(long ms) {
        vertx.setTimer(Math.max(1, ms), id -> step());
    }
}

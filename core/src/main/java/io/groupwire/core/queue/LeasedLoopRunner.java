package io.groupwire.core.queue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs one {@link QueueLoop} for each queue whose lease this instance holds, for a service that
 * shares a set of queues with its peers (the transport its mailboxes, the pacer its outboxes).
 * It owns the whole lifecycle: taking, renewing and releasing the leases (through
 * {@link QueueOwnership}), starting a loop when a lease is taken and stopping it when the lease
 * is lost or given up, and every timer involved. {@link #stop} is graceful and complete: the
 * batches in progress finish, every lease is released with what is still claimed, and every
 * timer is cancelled, so that the stopped instance sends Redis nothing more.
 *
 * <p>Start and stop it on the service's own Vert.x context; its loops and timers run there.
 */
public final class LeasedLoopRunner {

    /** Makes the loop that consumes a queue whose lease was just taken. */
    @FunctionalInterface
    public interface LoopFactory {
        QueueLoop loopFor(ReliableQueue queue);
    }

    private final Timers timers;
    private final QueueOwnership ownership;
    private final LoopFactory factory;
    private final Map<String, QueueLoop> loops = new HashMap<>();
    private Future<Void> stopped;

    /**
     * @param queues every queue of the role, shared with the other instances
     * @param factory makes the loop of each queue this instance comes to own
     */
    public LeasedLoopRunner(Vertx vertx, Redis redis, LeaseTerms terms, List<ReliableQueue> queues,
                            LoopFactory factory) {
        this.timers = new Timers(vertx);
        this.factory = Objects.requireNonNull(factory);
        this.ownership = new QueueOwnership(redis, timers, terms, queues, new QueueOwnership.Listener() {
            @Override
            public void acquired(ReliableQueue queue) {
                run(queue);
            }

            @Override
            public Future<Void> lost(ReliableQueue queue) {
                QueueLoop loop = loops.remove(queue.keys().queue());
                return loop == null ? Future.succeededFuture() : loop.stop();
            }
        });
    }

    /**
     * The runner's timers: a service schedules its own periodic work here (sampling depths,
     * polling a pause) so that {@link #stop} cancels it with the rest.
     */
    public Timers timers() {
        return timers;
    }

    /** Joins the role's instances and takes a first share of the leases; completes after that first round. */
    public Future<Void> start() {
        return ownership.start();
    }

    /** Queues whose lease this instance holds now. */
    public int ownedQueues() {
        return ownership.owned().size();
    }

    /** The keys of the queues whose lease this instance holds now (for the instance report). */
    public java.util.List<String> ownedQueueKeys() {
        return ownership.owned().stream().map(q -> q.keys().queue()).toList();
    }

    /** Queues whose loop is running now. */
    public int runningLoops() {
        return loops.size();
    }

    /**
     * Graceful stop: no new leases or claims, the batches in progress finish, every lease is given
     * back with what is still claimed, the instance leaves the registry, and every timer is
     * cancelled. Calling it again returns the same future.
     */
    public Future<Void> stop() {
        if (stopped == null) {
            stopped = ownership.stop().eventually(() -> {
                timers.cancelAll();
                return Future.succeededFuture();
            });
        }
        return stopped;
    }

    private void run(ReliableQueue queue) {
        String key = queue.keys().queue();
        QueueLoop loop = factory.loopFor(queue);
        loops.put(key, loop);
        // a loop that found its lease gone stopped by itself: forget it, so that a later lease round
        // takes the queue again as soon as the lease is free, instead of believing it still held
        loop.onLeaseLost(() -> {
            loops.remove(key, loop);
            ownership.forfeit(queue);
        });
        loop.start(timers);
    }
}

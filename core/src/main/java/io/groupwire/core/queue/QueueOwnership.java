package io.groupwire.core.queue;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease side of a {@link LeasedLoopRunner}: shares a set of queues among the live instances of
 * one role (transport, pacer). Each instance keeps leases on about its fair share of the queues,
 * renews them, takes over the queues of instances that died (their leases expire), and gives
 * queues up when new instances join.
 *
 * <p>Instances announce themselves in a sorted set {@code gw:workers:ROLE} scored by the time their
 * heartbeat expires; the fair share is the queue count divided by the live instances, rounded up.
 * All callbacks run on the Vert.x context that called {@link #start}.
 */
final class QueueOwnership {
    private static final Logger LOG = LoggerFactory.getLogger(QueueOwnership.class);

    /** What the owner of the leases does with a queue it gains or loses. */
    interface Listener {
        /** The queue's lease is now held: start consuming it. */
        void acquired(ReliableQueue queue);

        /**
         * The lease was lost, or is about to be given up: stop consuming. The returned future
         * completes when no batch of this queue is in progress any more.
         */
        Future<Void> lost(ReliableQueue queue);
    }

    private final Redis redis;
    private final Timers timers;
    private final LeaseTerms terms;
    private final List<ReliableQueue> queues;
    private final Listener listener;
    private final Map<String, ReliableQueue> owned = new LinkedHashMap<>();
    private long renewal = -1;
    private boolean running;
    private Future<Void> roundInProgress;
    private Future<Void> stopped;

    QueueOwnership(Redis redis, Timers timers, LeaseTerms terms, List<ReliableQueue> queues, Listener listener) {
        this.redis = Objects.requireNonNull(redis);
        this.timers = Objects.requireNonNull(timers);
        this.terms = Objects.requireNonNull(terms);
        this.queues = List.copyOf(queues);
        this.listener = Objects.requireNonNull(listener);
    }

    /** Starts taking and renewing leases; the first round completes the returned future. */
    Future<Void> start() {
        running = true;
        renewal = timers.every(terms.renewalMillis(), this::tick);
        return round();
    }

    /** Queues whose lease this instance holds now. */
    synchronized List<ReliableQueue> owned() {
        return new ArrayList<>(owned.values());
    }

    /**
     * Forgets a queue whose consumer found its lease gone (say Redis was away longer than the
     * lease), so that a later round takes the lease again and starts a new consumer; without this
     * the queue would count as owned while nobody consumed it.
     */
    synchronized void forfeit(ReliableQueue queue) {
        owned.remove(queue.keys().queue());
    }

    private void tick() {
        if (running && roundInProgress == null) {
            round();
        }
    }

    private Future<Void> round() {
        Future<Void> round = heartbeat()
                .compose(this::rebalance)
                .onFailure(e -> LOG.warn("lease round failed: {}", e.toString()))
                .<Void>mapEmpty()
                .recover(e -> Future.succeededFuture());
        roundInProgress = round;
        round.onComplete(ar -> {
            if (roundInProgress == round) {
                roundInProgress = null;
            }
        });
        return round;
    }

    private Future<Integer> heartbeat() {
        long now = System.currentTimeMillis();
        long expiry = now + terms.lease().toMillis();
        String registry = terms.registryKey();
        return redis.send(Request.cmd(Command.ZADD).arg(registry).arg(expiry).arg(terms.worker()))
                .compose(r -> redis.send(Request.cmd(Command.ZREMRANGEBYSCORE).arg(registry).arg("-inf").arg(now)))
                .compose(r -> redis.send(Request.cmd(Command.ZCARD).arg(registry)))
                .map(r -> Math.max(1, r.toInteger()));
    }

    private Future<Void> rebalance(int instances) {
        int fairShare = (queues.size() + instances - 1) / instances;
        Future<Void> chain = Future.succeededFuture();
        for (ReliableQueue q : owned()) {
            chain = chain.compose(v -> renew(q));
        }
        return chain.compose(v -> shed(fairShare)).compose(v -> grow(fairShare));
    }

    private Future<Void> renew(ReliableQueue q) {
        return q.acquire().compose(state -> {
            if (!state.held()) {
                synchronized (this) {
                    owned.remove(q.keys().queue());
                }
                LOG.warn("lost the lease on {}", q.keys().queue());
                return listener.lost(q);
            }
            return Future.succeededFuture();
        });
    }

    private Future<Void> shed(int fairShare) {
        List<ReliableQueue> mine = owned();
        Future<Void> chain = Future.succeededFuture();
        for (int i = mine.size() - 1; i >= fairShare; i--) {
            ReliableQueue q = mine.get(i);
            chain = chain.compose(v -> giveUp(q));
        }
        return chain;
    }

    private Future<Void> grow(int fairShare) {
        if (!running || owned().size() >= fairShare) {
            return Future.succeededFuture();
        }
        // Start at a random queue so that instances starting together do not contend for the same ones.
        int start = ThreadLocalRandom.current().nextInt(queues.size());
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < queues.size(); i++) {
            ReliableQueue q = queues.get((start + i) % queues.size());
            chain = chain.compose(v -> {
                synchronized (this) {
                    if (!running || owned.size() >= fairShare || owned.containsKey(q.keys().queue())) {
                        return Future.succeededFuture();
                    }
                }
                return q.acquire().map(state -> {
                    if (state.held()) {
                        taken(q, state);
                    }
                    return null;
                });
            });
        }
        return chain;
    }

    private void taken(ReliableQueue q, LeaseState state) {
        synchronized (this) {
            // held even when stopping meanwhile, so that stop() gives it back at once
            owned.put(q.keys().queue(), q);
        }
        if (state.recovered() > 0) {
            LOG.info("took over {} with {} unacknowledged entries returned to its head",
                    q.keys().queue(), state.recovered());
        }
        if (running) {
            listener.acquired(q);
        }
    }

    /**
     * Gives one queue up: its consumer stops after the batch in progress, then the lease is
     * released with whatever is still claimed, so that the next owner starts at once.
     */
    private Future<Void> giveUp(ReliableQueue q) {
        synchronized (this) {
            owned.remove(q.keys().queue());
        }
        return listener.lost(q).compose(v -> q.release()).mapEmpty();
    }

    /**
     * Stops taking leases, waits for the lease round in progress, stops consuming, gives every
     * lease up (returning unacknowledged claims to their queues), and leaves the instance registry
     * so that the others re-balance at once. Completes when all of that is done, or tried.
     */
    Future<Void> stop() {
        if (stopped != null) {
            return stopped;
        }
        running = false;
        timers.cancel(renewal);
        Future<Void> round = roundInProgress == null ? Future.succeededFuture() : roundInProgress;
        stopped = round.compose(v -> {
            List<Future<Void>> all = new ArrayList<>();
            for (ReliableQueue q : owned()) {
                all.add(giveUp(q));
            }
            return Future.join(new ArrayList<>(all));
        }).compose(v -> redis.send(Request.cmd(Command.ZREM).arg(terms.registryKey()).arg(terms.worker())))
                .<Void>mapEmpty()
                .recover(e -> Future.succeededFuture());
        return stopped;
    }
}

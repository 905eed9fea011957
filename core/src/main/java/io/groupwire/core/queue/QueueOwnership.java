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
 *
 * <p>A lease cannot lapse while its owner is alive and working: a queue being given up (on
 * {@link #stop}, or shed for a newcomer) stays renewed until its loop has finished the batch in
 * progress and the lease was released; no lease round waits for a loop, so a slow batch of one
 * queue never holds up the renewal of the others. A released queue is free at once: the next
 * owner takes it at its next lease round instead of after the lease.
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
    /** Queues given up whose loop is finishing its batch: renewed until their release completes. */
    private final Map<String, ReliableQueue> releasing = new LinkedHashMap<>();
    /** Queues whose lease was lost while their loop winds down: not renewed, not taken again meanwhile. */
    private final Map<String, Future<Void>> winding = new LinkedHashMap<>();
    private final List<Future<Void>> departures = new ArrayList<>();
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

    /** Queues given up whose release has not completed yet. */
    synchronized int releasing() {
        return releasing.size();
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
        if (roundInProgress != null) {
            return;
        }
        if (running) {
            round();
        } else if (stopped != null) {
            // stopping: no heartbeat, no new leases; the queues still being given up keep their leases
            track(renewAll());
        }
    }

    private Future<Void> round() {
        return track(heartbeat().compose(this::rebalance));
    }

    private Future<Void> track(Future<Void> work) {
        Future<Void> round = work
                .onFailure(e -> LOG.warn("lease round failed: {}", e.toString()))
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
        return renewAll().compose(v -> {
            shed(fairShare);
            return grow(fairShare);
        });
    }

    /** Renews every lease held, the queues being given up included, all at once. */
    private Future<Void> renewAll() {
        List<Future<Void>> all = new ArrayList<>();
        for (ReliableQueue q : owned()) {
            all.add(renewOwned(q));
        }
        List<ReliableQueue> leaving;
        synchronized (this) {
            leaving = new ArrayList<>(releasing.values());
        }
        for (ReliableQueue q : leaving) {
            // a "not held" here is the release itself having gone through, or a lapse that the
            // release reports: either way the release says what happened
            all.add(q.renew().<Void>mapEmpty());
        }
        return Future.join(new ArrayList<>(all)).mapEmpty();
    }

    private Future<Void> renewOwned(ReliableQueue q) {
        return q.renew().map(held -> {
            if (!held) {
                String key = q.keys().queue();
                synchronized (this) {
                    if (owned.remove(key) == null) {
                        return null;
                    }
                }
                LOG.warn("lost the lease on {}", key);
                // not waited for: the round goes on renewing the others; the queue is not taken
                // again until its loop has stopped
                Future<Void> wound = listener.lost(q).recover(e -> Future.succeededFuture());
                synchronized (this) {
                    winding.put(key, wound);
                }
                wound.onComplete(ar -> {
                    synchronized (this) {
                        winding.remove(key, wound);
                    }
                });
            }
            return null;
        });
    }

    /** Starts giving up the queues beyond the fair share; the round does not wait for their loops. */
    private void shed(int fairShare) {
        List<ReliableQueue> mine = owned();
        for (int i = mine.size() - 1; i >= fairShare; i--) {
            giveUp(mine.get(i));
        }
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
                String key = q.keys().queue();
                synchronized (this) {
                    if (!running || owned.size() >= fairShare || owned.containsKey(key)
                            || releasing.containsKey(key) || winding.containsKey(key)) {
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
     * Gives one queue up, the one place where stopping and shedding do it: its loop stops after the
     * batch in progress while the lease is still renewed, then the lease is released with whatever
     * is still claimed, so that the next owner starts at once. Completes when the release did.
     */
    private Future<Void> giveUp(ReliableQueue q) {
        String key = q.keys().queue();
        synchronized (this) {
            owned.remove(key);
            releasing.put(key, q);
        }
        Future<Void> done = listener.lost(q)
                .compose(v -> q.giveBack())
                .map(reply -> {
                    if (!reply.held()) {
                        LOG.warn("the lease on {} lapsed before it was released", key);
                    }
                    return (Void) null;
                })
                .onFailure(e -> LOG.warn("could not release {}: {}", key, e.toString()))
                .recover(e -> Future.succeededFuture())
                .onComplete(ar -> {
                    synchronized (this) {
                        releasing.remove(key);
                    }
                });
        synchronized (this) {
            departures.add(done);
        }
        done.onComplete(ar -> {
            synchronized (this) {
                departures.remove(done);
            }
        });
        return done;
    }

    /**
     * Stops taking leases, waits for the lease round in progress, leaves the instance registry (so
     * that the others re-balance at once and take each queue as soon as it is released), then gives
     * every queue up, renewing the leases until each loop has finished its batch and its release
     * completed (returning unacknowledged claims to their queues). Completes when all of that is
     * done, or tried; only then does renewal stop.
     */
    Future<Void> stop() {
        if (stopped != null) {
            return stopped;
        }
        running = false;
        Future<Void> round = roundInProgress == null ? Future.succeededFuture() : roundInProgress;
        stopped = round
                .compose(v -> redis.send(Request.cmd(Command.ZREM).arg(terms.registryKey()).arg(terms.worker())))
                .<Void>mapEmpty()
                .recover(e -> Future.succeededFuture())
                .compose(v -> {
                    for (ReliableQueue q : owned()) {
                        giveUp(q);
                    }
                    List<Future<Void>> all;
                    synchronized (this) {
                        all = new ArrayList<>(departures);
                        all.addAll(winding.values());
                    }
                    return Future.join(new ArrayList<>(all));
                })
                .<Void>mapEmpty()
                .recover(e -> Future.succeededFuture())
                .onComplete(ar -> timers.cancel(renewal));
        return stopped;
    }
}

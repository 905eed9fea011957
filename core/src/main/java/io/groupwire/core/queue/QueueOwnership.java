package io.groupwire.core.queue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares a set of queues among the live instances of one role (transport, pacer): each instance
 * keeps leases on about its fair share of the queues, renews them, takes over the queues of
 * instances that died (their leases expire), and gives queues up when new instances join.
 *
 * <p>Instances announce themselves in a sorted set {@code gw:workers:ROLE} scored by the time their
 * heartbeat expires; the fair share is the queue count divided by the live instances, rounded up.
 * All callbacks run on the Vert.x context that called {@link #start}.
 */
public final class QueueOwnership {
    private static final Logger LOG = LoggerFactory.getLogger(QueueOwnership.class);

    /** What the owner of the leases does with a queue it gains or loses. */
    public interface Listener {
        /** The queue's lease is now held: start consuming it. */
        void acquired(ReliableQueue queue);

        /**
         * The lease was lost, or is about to be given up: stop consuming. The returned future
         * completes when no batch of this queue is in progress any more.
         */
        Future<Void> lost(ReliableQueue queue);
    }

    private final Vertx vertx;
    private final Redis redis;
    private final String workersKey;
    private final String worker;
    private final List<ReliableQueue> queues;
    private final Duration lease;
    private final Listener listener;
    private final Map<String, ReliableQueue> owned = new LinkedHashMap<>();
    private long timer = -1;
    private boolean running;
    private boolean ticking;

    public QueueOwnership(Vertx vertx, Redis redis, String role, String worker, List<ReliableQueue> queues,
                          Duration lease, Listener listener) {
        this.vertx = Objects.requireNonNull(vertx);
        this.redis = Objects.requireNonNull(redis);
        this.workersKey = "gw:workers:" + role;
        this.worker = worker;
        this.queues = List.copyOf(queues);
        this.lease = lease;
        this.listener = listener;
    }

    /** Starts taking and renewing leases; the first round completes the returned future. */
    public Future<Void> start() {
        running = true;
        long period = Math.max(50, lease.toMillis() / 3);
        timer = vertx.setPeriodic(period, id -> tick());
        return round();
    }

    /** Queues whose lease this instance holds now. */
    public synchronized List<ReliableQueue> owned() {
        return new ArrayList<>(owned.values());
    }

    /**
     * Forgets a queue whose consumer found its lease gone (say Redis was away longer than the
     * lease), so that a later round takes the lease again and starts a new consumer; without this
     * the queue would count as owned while nobody consumed it.
     */
    public synchronized void forfeit(ReliableQueue queue) {
        owned.remove(queue.keys().queue());
    }

    private void tick() {
        if (!ticking && running) {
            round();
        }
    }

    private Future<Void> round() {
        ticking = true;
        return heartbeat()
                .compose(this::rebalance)
                .onFailure(e -> LOG.warn("lease round failed: {}", e.toString()))
                .eventually(() -> {
                    ticking = false;
                    return Future.succeededFuture();
                })
                .recover(e -> Future.succeededFuture());
    }

    private Future<Integer> heartbeat() {
        long now = System.currentTimeMillis();
        long expiry = now + lease.toMillis();
        return redis.send(Request.cmd(Command.ZADD).arg(workersKey).arg(expiry).arg(worker))
                .compose(r -> redis.send(Request.cmd(Command.ZREMRANGEBYSCORE).arg(workersKey).arg("-inf").arg(now)))
                .compose(r -> redis.send(Request.cmd(Command.ZCARD).arg(workersKey)))
                .map(r -> Math.max(1, r.toInteger()));
    }

    private Future<Void> rebalance(int instances) {
        int fairShare = (queues.size() + instances - 1) / instances;
        List<ReliableQueue> mine = owned();
        Future<Void> chain = Future.succeededFuture();
        for (ReliableQueue q : mine) {
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
            synchronized (this) {
                owned.remove(q.keys().queue());
            }
            chain = chain.compose(v -> listener.lost(q)).compose(v -> q.release()).mapEmpty();
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
                        synchronized (this) {
                            owned.put(q.keys().queue(), q);
                        }
                        if (state.recovered() > 0) {
                            LOG.info("took over {} with {} unacknowledged entries returned to its head",
                                    q.keys().queue(), state.recovered());
                        }
                        listener.acquired(q);
                    }
                    return null;
                });
            });
        }
        return chain;
    }

    /**
     * Stops consuming and gives every lease up, returning unacknowledged claims to their queues,
     * and leaves the instance registry so that the others re-balance at once.
     */
    public Future<Void> stop() {
        running = false;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        List<ReliableQueue> mine = owned();
        synchronized (this) {
            owned.clear();
        }
        List<Future<Void>> all = new ArrayList<>();
        for (ReliableQueue q : mine) {
            all.add(listener.lost(q).compose(v -> q.release()).mapEmpty());
        }
        return Future.join(new ArrayList<>(all))
                .compose(v -> redis.send(Request.cmd(Command.ZREM).arg(workersKey).arg(worker)))
                .<Void>mapEmpty()
                .recover(e -> Future.succeededFuture());
    }
}

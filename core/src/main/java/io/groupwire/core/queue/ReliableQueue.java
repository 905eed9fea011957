package io.groupwire.core.queue;

import io.groupwire.core.redis.QueueKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A FIFO queue in Redis with reliable, leased consumption: producers push at one end; the single
 * lease holder claims batches from the other end atomically into an in-flight list and
 * acknowledges them when done. When a holder dies, its lease expires and the next holder returns
 * the unacknowledged entries to the head of the queue, oldest first. Used for the mailboxes and
 * the outboxes alike.
 *
 * <p>One owner per queue keeps a group's messages in order; throughput comes from many shards.
 */
public final class ReliableQueue {

    private final Redis redis;
    private final QueueKeys keys;
    private final String worker;
    private final long leaseMillis;
    private final ClaimScript claim;
    private final AckScript ack;

    public ReliableQueue(Redis redis, QueueKeys keys, String worker, Duration lease) {
        this.redis = Objects.requireNonNull(redis);
        this.keys = Objects.requireNonNull(keys);
        this.worker = Objects.requireNonNull(worker);
        this.leaseMillis = lease.toMillis();
        this.claim = new ClaimScript(redis, keys, worker, leaseMillis);
        this.ack = new AckScript(redis, keys, worker);
    }

    public QueueKeys keys() {
        return keys;
    }

    public String worker() {
        return worker;
    }

    /** Takes the lease if it is free, renews it if held; recovers a dead owner's claims on take-over. */
    public Future<LeaseState> acquire() {
        return AcquireLeaseScript.run(redis, keys, worker, leaseMillis);
    }

    /** Claims up to {@code max} of the oldest entries; fails with {@link LeaseLostException} without the lease. */
    public Future<List<String>> claim(int max) {
        return claim.run(max);
    }

    /**
     * Acknowledges claimed entries; fails with {@link LeaseLostException} without the lease.
     * Entries acknowledged in claim order (the usual case) cost Redis a count and two entries, not
     * every entry; any other order is handled too, entry by entry.
     */
    public Future<Integer> ack(List<String> entries) {
        if (entries.isEmpty()) {
            return Future.succeededFuture(0);
        }
        return ack.run(entries);
    }

    /**
     * Gives the lease up, returning unacknowledged claims to the head of the queue; completes with
     * how many were returned (none when the lease was no longer held: then nothing changes).
     */
    public Future<Integer> release() {
        return giveBack().map(ReleaseLeaseScript.Reply::returned);
    }

    /** As {@link #release}, saying also whether the lease was still held when it was given back. */
    Future<ReleaseLeaseScript.Reply> giveBack() {
        return ReleaseLeaseScript.run(redis, keys, worker);
    }

    /** Extends the lease if this worker holds it, never taking a free one; completes with whether it was held. */
    Future<Boolean> renew() {
        return RenewLeaseScript.run(redis, keys, worker, leaseMillis);
    }

    /** Appends an entry at the tail (the producers' end). */
    public Future<Long> push(String entry) {
        return redis.send(Request.cmd(Command.LPUSH).arg(keys.queue()).arg(entry)).map(Response::toLong);
    }

    /** Entries waiting to be claimed. */
    public Future<Long> depth() {
        return redis.send(Request.cmd(Command.LLEN).arg(keys.queue())).map(Response::toLong);
    }

    /** Entries claimed and not yet acknowledged. */
    public Future<Long> inflight() {
        return redis.send(Request.cmd(Command.LLEN).arg(keys.inflight())).map(Response::toLong);
    }

    static List<String> strings(Response r) {
        List<String> out = new ArrayList<>(r.size());
        for (Response e : r) {
            out.add(e.toString());
        }
        return out;
    }
}

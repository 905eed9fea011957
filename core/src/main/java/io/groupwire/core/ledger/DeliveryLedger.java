package io.groupwire.core.ledger;

import io.groupwire.core.message.Channel;
import io.groupwire.core.queue.LeaseLostException;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.groupwire.core.redis.QueueKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The pacer's side of the exactly-once ledger, for one outbox (a shard and a channel): mark
 * deliveries {@code sending} before the provider call, record how each attempt ended and
 * acknowledge it atomically, and bring due retries back to the outbox.
 */
public final class DeliveryLedger {
    private static final LuaScript BEGIN = LuaScript.load("begin");
    private static final LuaScript COMPLETE = LuaScript.load("complete");
    private static final LuaScript PEEK = LuaScript.load("peek");
    /**
     * How long a ledger outlives the settlement of its last delivery by default: long enough for
     * any straggling copy of an outbox entry to find it settled, short enough that Redis does not
     * keep every message's bookkeeping for the whole TTL.
     */
    public static final Duration DEFAULT_SETTLED_TTL = Duration.ofSeconds(60);

    private final Redis redis;
    private final int shard;
    private final QueueKeys outbox;
    private final String retryKey;
    private final String deadKey;
    private final String worker;
    private final String settledTtlSeconds;
    private final int beginReplicas;
    private final long beginWaitMillis;

    public DeliveryLedger(Redis redis, int shard, Channel channel, String worker) {
        this(redis, shard, channel, worker, DEFAULT_SETTLED_TTL);
    }

    /** As above, keeping settled ledgers for {@code settledTtl} (an audit can read outcomes meanwhile). */
    public DeliveryLedger(Redis redis, int shard, Channel channel, String worker, Duration settledTtl) {
        this(redis, shard, channel, worker, settledTtl, 0, Duration.ZERO);
    }

    /**
     * As above; {@link #begin} also waits until {@code beginReplicas} replicas have the
     * {@code sending} marks (Redis {@code WAIT}, at most {@code beginWait}) before it answers. A
     * failover then cannot forget that a delivery was being sent, which matters for a channel that
     * must never send twice (SMS): a forgotten mark would make the next owner send it again.
     */
    public DeliveryLedger(Redis redis, int shard, Channel channel, String worker, Duration settledTtl,
                          int beginReplicas, Duration beginWait) {
        this.redis = redis;
        this.shard = shard;
        this.outbox = Keys.outbox(shard, channel);
        this.retryKey = Keys.retry(shard, channel);
        this.deadKey = Keys.deadLetters(shard, channel);
        this.worker = worker;
        this.settledTtlSeconds = Long.toString(Math.max(1, settledTtl.toSeconds()));
        this.beginReplicas = beginReplicas;
        this.beginWaitMillis = beginWait.toMillis();
    }

    /** Marks each (message id, delivery id) as sending and returns what to do with it, in order. */
    public Future<List<Verdict>> begin(List<String> messageIds, List<String> deliveryIds, long nowMillis) {
        return begin(messageIds, deliveryIds, nowMillis, 0);
    }

    /**
     * As above, repeating the begin made at {@code repeatedMillis} (0: none) whose answer this worker
     * never got, for deliveries it has not sent since: its own marks from that begin mean "not sent"
     * and answer {@link Verdict#GO}, where anyone else's mark, or an older one, is ambiguous. Fails
     * with {@link io.groupwire.core.redis.NotReplicatedException} when replicas were asked for and
     * did not acknowledge the marks in time; nothing must be sent then.
     */
    public Future<List<Verdict>> begin(List<String> messageIds, List<String> deliveryIds, long nowMillis,
                                       long repeatedMillis) {
        List<String> keys = new ArrayList<>(messageIds.size());
        for (String m : messageIds) {
            keys.add(Keys.ledger(shard, m));
        }
        List<String> args = new ArrayList<>(deliveryIds.size() + 3);
        args.add(worker);
        args.add(Long.toString(nowMillis));
        args.add(Long.toString(repeatedMillis));
        args.addAll(deliveryIds);
        return BEGIN.runReplicated(redis, keys, args, beginReplicas, beginWaitMillis).map(r -> {
            List<Verdict> out = new ArrayList<>(r.size());
            for (Response v : r) {
                out.add(Verdict.valueOf(v.toString().toUpperCase()));
            }
            return out;
        });
    }

    /** Records outcomes and acknowledges their claims; fails with {@link LeaseLostException} without the lease. */
    public Future<Integer> complete(List<Completion> completions) {
        if (completions.isEmpty()) {
            return Future.succeededFuture(0);
        }
        List<String> keys = new ArrayList<>(completions.size() + 4);
        keys.add(outbox.inflight());
        keys.add(outbox.lease());
        keys.add(retryKey);
        keys.add(deadKey);
        List<String> args = new ArrayList<>(completions.size() * 6 + 2);
        args.add(worker);
        args.add(settledTtlSeconds);
        for (Completion c : completions) {
            keys.add(Keys.ledger(shard, c.messageId()));
            args.add(c.raw());
            args.add(c.deliveryId());
            args.add(c.state() == null ? "" : c.state().value());
            args.add(Long.toString(c.retryAtMillis()));
            args.add(c.retryEntry());
            args.add(c.maybeSent() ? "1" : "");
        }
        return COMPLETE.run(redis, keys, args).compose(r -> {
            int n = r.toInteger();
            return n < 0 ? Future.failedFuture(new LeaseLostException(outbox.queue())) : Future.succeededFuture(n);
        });
    }

    /**
     * Moves up to {@code limit} retries due by {@code nowMillis} to the head of the outbox and
     * answers how many deliveries wait in the outbox.
     */
    public Future<Long> peek(long nowMillis, int limit) {
        return PEEK.run(redis, List.of(retryKey, outbox.queue()), List.of(Long.toString(nowMillis), Integer.toString(limit)))
                .map(Response::toLong);
    }
}

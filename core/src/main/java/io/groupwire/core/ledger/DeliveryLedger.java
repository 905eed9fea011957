package io.groupwire.core.ledger;

import io.groupwire.core.message.Channel;
import io.groupwire.core.queue.LeaseLostException;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.List;

/**
 * The pacer's side of the exactly-once ledger, for one outbox (a shard and a channel): mark
 * deliveries {@code sending} before the provider call, record how each attempt ended and
 * acknowledge it atomically, and bring due retries back to the outbox.
 */
public final class DeliveryLedger {
    /**
     * How long a ledger outlives the settlement of its last delivery by default: long enough for
     * any straggling copy of an outbox entry to find it settled, short enough that Redis does not
     * keep every message's bookkeeping for the whole TTL.
     */
    public static final Duration DEFAULT_SETTLED_TTL = Duration.ofSeconds(60);

    private final BeginScript begin;
    private final CompleteScript complete;
    private final PeekScript peek;

    public DeliveryLedger(Redis redis, int shard, Channel channel, String worker) {
        this(redis, shard, channel, worker, Options.DEFAULTS);
    }

    /** As above, with the settled-ledger retention and begin's replica wait that {@code options} give. */
    public DeliveryLedger(Redis redis, int shard, Channel channel, String worker, Options options) {
        this.begin = new BeginScript(redis, shard, worker, options.beginReplicas(), options.beginWait().toMillis());
        this.complete = new CompleteScript(redis, shard, channel, worker, Math.max(1, options.settledTtl().toSeconds()));
        this.peek = new PeekScript(redis, shard, channel);
    }

    /**
     * How a ledger keeps and guards its outcomes.
     *
     * @param settledTtl how long a settled ledger is kept (an audit can read outcomes meanwhile)
     * @param beginReplicas when above 0, {@link #begin} also waits until that many replicas have
     *        the {@code sending} marks (Redis {@code WAIT}) before it answers. A failover then cannot
     *        forget that a delivery was being sent, which matters for a channel that must never send
     *        twice (SMS): a forgotten mark would make the next owner send it again.
     * @param beginWait the longest that wait may take
     */
    public record Options(Duration settledTtl, int beginReplicas, Duration beginWait) {
        /** Settled ledgers kept {@link #DEFAULT_SETTLED_TTL}, no replica wait. */
        public static final Options DEFAULTS = new Options(DEFAULT_SETTLED_TTL, 0, Duration.ZERO);

        public Options withSettledTtl(Duration ttl) {
            return new Options(ttl, beginReplicas, beginWait);
        }

        public Options withBeginReplicas(int replicas, Duration wait) {
            return new Options(settledTtl, replicas, wait);
        }
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
        return begin.run(messageIds, deliveryIds, nowMillis, repeatedMillis);
    }

    /** Records outcomes and acknowledges their claims; fails with {@link LeaseLostException} without the lease. */
    public Future<Integer> complete(List<Completion> completions) {
        if (completions.isEmpty()) {
            return Future.succeededFuture(0);
        }
        return complete.run(completions);
    }

    /**
     * Records outcomes as they arrive, acknowledging claims separately, for a caller that sends a
     * batch delivery by delivery: a recorded outcome makes its claim harmless to recover (the ledger
     * answers {@link Verdict#DONE} for it), so claims can be acknowledged later, in claim order, by
     * count and ends. An outcome with a retry must be acknowledged with its record, or a recovered
     * claim would be sent beside its retry.
     *
     * @param completions  outcomes to record (may be empty)
     * @param acknowledged claims to acknowledge now (may be empty), of outcomes recorded now or before
     * @param headRun      whether {@code acknowledged} are, in order, the oldest unacknowledged claims;
     *                     when not, each claim is named (rare: retries out of claim order)
     * @return the number of claims acknowledged; fails with {@link LeaseLostException} without the lease
     */
    public Future<Integer> record(List<Completion> completions, List<String> acknowledged, boolean headRun) {
        if (completions.isEmpty() && acknowledged.isEmpty()) {
            return Future.succeededFuture(0);
        }
        return complete.run(completions, acknowledged, headRun);
    }

    /**
     * Moves up to {@code limit} retries due by {@code nowMillis} to the head of the outbox and
     * answers how many deliveries wait in the outbox.
     */
    public Future<Long> peek(long nowMillis, int limit) {
        return peek.run(nowMillis, limit);
    }
}

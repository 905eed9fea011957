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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        // one ledger per message, each named once: the script reads and marks a ledger's deliveries
        // with one HMGET and one HSET; the verdicts come back in grouped order and are put back in
        // the caller's order here
        Map<String, List<Integer>> byMessage = new LinkedHashMap<>();
        for (int i = 0; i < messageIds.size(); i++) {
            byMessage.computeIfAbsent(messageIds.get(i), m -> new ArrayList<>(4)).add(i);
        }
        List<String> keys = new ArrayList<>(byMessage.size());
        List<String> args = new ArrayList<>(deliveryIds.size() + byMessage.size() + 3);
        int[] order = new int[deliveryIds.size()];
        int o = 0;
        args.add(worker);
        args.add(Long.toString(nowMillis));
        args.add(Long.toString(repeatedMillis));
        for (Map.Entry<String, List<Integer>> e : byMessage.entrySet()) {
            keys.add(Keys.ledger(shard, e.getKey()));
            args.add(Integer.toString(e.getValue().size()));
            for (int i : e.getValue()) {
                args.add(deliveryIds.get(i));
                order[o++] = i;
            }
        }
        return BEGIN.runReplicated(redis, keys, args, beginReplicas, beginWaitMillis).map(r -> {
            Verdict[] out = new Verdict[order.length];
            for (int j = 0; j < order.length; j++) {
                out[order[j]] = verdict(r.get(j).toString());
            }
            return List.of(out);
        });
    }

    private static Verdict verdict(String v) {
        return switch (v) {
            case "go" -> Verdict.GO;
            case "ambiguous" -> Verdict.AMBIGUOUS;
            case "done" -> Verdict.DONE;
            case "gone" -> Verdict.GONE;
            default -> throw new IllegalStateException("begin answered " + v);
        };
    }

    /** Records outcomes and acknowledges their claims; fails with {@link LeaseLostException} without the lease. */
    public Future<Integer> complete(List<Completion> completions) {
        if (completions.isEmpty()) {
            return Future.succeededFuture(0);
        }
        Map<String, List<Completion>> byMessage = new LinkedHashMap<>();
        for (Completion c : completions) {
            byMessage.computeIfAbsent(c.messageId(), m -> new ArrayList<>(4)).add(c);
        }
        List<String> keys = new ArrayList<>(byMessage.size() + 4);
        keys.add(outbox.inflight());
        keys.add(outbox.lease());
        keys.add(retryKey);
        keys.add(deadKey);
        List<String> outcomes = new ArrayList<>(completions.size() * 3 + byMessage.size());
        for (Map.Entry<String, List<Completion>> e : byMessage.entrySet()) {
            keys.add(Keys.ledger(shard, e.getKey()));
            outcomes.add(Integer.toString(e.getValue().size()));
            for (Completion c : e.getValue()) {
                outcomes.add(c.deliveryId());
                outcomes.add(c.state() == null ? "" : c.state().value());
                boolean retry = c.retryAtMillis() > 0;
                boolean dead = c.state() == DeliveryState.DEAD_LETTER;
                outcomes.add((retry ? "r" : "") + (c.maybeSent() ? "m" : "") + (dead ? "d" : ""));
                if (retry) {
                    outcomes.add(Long.toString(c.retryAtMillis()));
                    outcomes.add(c.retryEntry());
                }
                if (dead) {
                    outcomes.add(c.raw());
                }
            }
        }
        // the usual case: the batch is the in-flight list's head run, acknowledged by its count and ends
        List<String> run = List.of(Integer.toString(completions.size()), completions.get(0).raw(),
                completions.get(completions.size() - 1).raw());
        return COMPLETE.run(redis, keys, completeArgs("run", run, outcomes)).compose(r -> {
            int n = r.toInteger();
            if (n != -2) {
                return acked(n);
            }
            List<String> each = new ArrayList<>(completions.size());
            for (Completion c : completions) {
                each.add(c.raw());
            }
            return COMPLETE.run(redis, keys, completeArgs("each", each, outcomes)).compose(e -> acked(e.toInteger()));
        });
    }

    private List<String> completeArgs(String mode, List<String> ack, List<String> outcomes) {
        List<String> args = new ArrayList<>(4 + ack.size() + outcomes.size());
        args.add(worker);
        args.add(settledTtlSeconds);
        args.add(mode);
        args.add(Integer.toString(ack.size()));
        args.addAll(ack);
        args.addAll(outcomes);
        return args;
    }

    private Future<Integer> acked(int n) {
        return n < 0 ? Future.failedFuture(new LeaseLostException(outbox.queue())) : Future.succeededFuture(n);
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

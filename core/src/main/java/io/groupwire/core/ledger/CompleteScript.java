package io.groupwire.core.ledger;

import io.groupwire.core.message.Channel;
import io.groupwire.core.queue.Acknowledgement;
import io.groupwire.core.queue.LeaseLostException;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.groupwire.core.redis.QueueKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The typed side of {@code complete.lua}: records how provider calls ended in the deliveries'
 * ledgers, queues retries, dead-letters poison and acknowledges claims, atomically and for the
 * lease holder only. The claims acknowledged are usually those of the outcomes recorded, but may be
 * fewer or others: a caller recording outcomes as they arrive acknowledges in claim order, once
 * every earlier claim is recorded too.
 */
final class CompleteScript {
    private static final LuaScript SCRIPT = LuaScript.load("complete");
    /** A delivery's flags: a retry follows (due time, entry). */
    private static final String RETRY = "r";
    /** A delivery's flags: the attempt may have reached the provider. */
    private static final String MAYBE_SENT = "m";
    /** A delivery's flags: a dead letter follows (the raw entry). */
    private static final String DEAD_LETTER = "d";
    /** The state argument that leaves a delivery's ledger entry as it is. */
    private static final String UNCHANGED = "";

    private final Redis redis;
    private final int shard;
    private final QueueKeys outbox;
    private final String retryKey;
    private final String deadLetterKey;
    private final String worker;
    private final String settledTtlSeconds;

    /** For the outbox of {@code channel} on {@code shard}; settled ledgers live {@code settledTtlSeconds} more. */
    CompleteScript(Redis redis, int shard, Channel channel, String worker, long settledTtlSeconds) {
        this.redis = redis;
        this.shard = shard;
        this.outbox = Keys.outbox(shard, channel);
        this.retryKey = Keys.retry(shard, channel);
        this.deadLetterKey = Keys.deadLetters(shard, channel);
        this.worker = worker;
        this.settledTtlSeconds = Long.toString(settledTtlSeconds);
    }

    /** Applies {@code completions} (not empty) and acknowledges their claims, as the head run of the in-flight list. */
    Future<Integer> run(List<Completion> completions) {
        return run(completions, raws(completions), true);
    }

    /**
     * Applies {@code completions} and acknowledges the claims {@code acknowledged} (those of
     * outcomes recorded now or earlier; none when empty) atomically: completes with the number of
     * claims acknowledged, or fails with {@link LeaseLostException} when the lease is not held
     * (nothing was done).
     *
     * @param headRun whether {@code acknowledged} are, in order, the head of the in-flight list (then
     *                they are named by count and ends, else one by one)
     */
    Future<Integer> run(List<Completion> completions, List<String> acknowledged, boolean headRun) {
        Map<String, List<Completion>> byMessage = new LinkedHashMap<>();
        for (Completion c : completions) {
            byMessage.computeIfAbsent(c.messageId(), m -> new ArrayList<>(4)).add(c);
        }
        List<String> keys = new ArrayList<>(byMessage.size() + 4);
        keys.add(outbox.inflight());
        keys.add(outbox.lease());
        keys.add(retryKey);
        keys.add(deadLetterKey);
        List<String> outcomes = new ArrayList<>(completions.size() * 3 + byMessage.size());
        for (Map.Entry<String, List<Completion>> ledger : byMessage.entrySet()) {
            keys.add(Keys.ledger(shard, ledger.getKey()));
            outcomes.add(Integer.toString(ledger.getValue().size()));
            for (Completion c : ledger.getValue()) {
                addOutcome(outcomes, c);
            }
        }
        if (acknowledged.isEmpty()) {
            // outcomes only: the script still checks the lease
            return SCRIPT.run(redis, keys, args(Acknowledgement.each(List.of()), outcomes)).map(r -> r.toInteger())
                    .compose(n -> n < 0 ? Future.failedFuture(new LeaseLostException(outbox.queue())) : Future.succeededFuture(n));
        }
        return Acknowledgement.acknowledge(acknowledged, outbox.queue(), headRun,
                ack -> SCRIPT.run(redis, keys, args(ack, outcomes)).map(r -> r.toInteger()));
    }

    private static List<String> raws(List<Completion> completions) {
        List<String> raws = new ArrayList<>(completions.size());
        for (Completion c : completions) {
            raws.add(c.raw());
        }
        return raws;
    }

    /** One delivery's part: id, new state, flags, then what the flags announce, in the flags' order. */
    private static void addOutcome(List<String> outcomes, Completion c) {
        boolean retry = c.retryAtMillis() > 0;
        boolean dead = c.state() == DeliveryState.DEAD_LETTER;
        outcomes.add(c.deliveryId());
        outcomes.add(c.state() == null ? UNCHANGED : c.state().value());
        outcomes.add((retry ? RETRY : "") + (c.maybeSent() ? MAYBE_SENT : "") + (dead ? DEAD_LETTER : ""));
        if (retry) {
            outcomes.add(Long.toString(c.retryAtMillis()));
            outcomes.add(c.retryEntry());
        }
        if (dead) {
            outcomes.add(c.raw());
        }
    }

    private List<String> args(Acknowledgement ack, List<String> outcomes) {
        List<String> args = new ArrayList<>(4 + ack.args().size() + outcomes.size());
        args.add(worker);
        args.add(settledTtlSeconds);
        args.add(ack.mode());
        args.add(Integer.toString(ack.args().size()));
        args.addAll(ack.args());
        args.addAll(outcomes);
        return args;
    }
}

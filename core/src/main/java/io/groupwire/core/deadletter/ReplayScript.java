package io.groupwire.core.deadletter;

import io.groupwire.core.message.Channel;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The typed side of {@code replay.lua}: moves dead letters back to the head of their queue, in its
 * mailbox form (entries as they are) or its outbox form (each delivery marked for retry in its ledger
 * and queued afresh).
 */
final class ReplayScript {
    private static final LuaScript SCRIPT = LuaScript.load("replay");

    /**
     * One outbox dead letter to replay.
     *
     * @param stored     the entry as it sits in the dead-letter list
     * @param messageId  the message whose ledger records the delivery
     * @param deliveryId the delivery's id in that ledger
     * @param fresh      the entry to queue instead
     */
    record OutboxEntry(String stored, String messageId, String deliveryId, String fresh) {
    }

    private final Redis redis;

    ReplayScript(Redis redis) {
        this.redis = redis;
    }

    /** Moves up to {@code max} of a shard's mailbox dead letters, oldest first; completes with how many. */
    Future<Integer> mailbox(int shard, int max) {
        return SCRIPT.run(redis, List.of(Keys.deadLetters(shard, null), Keys.mailbox(shard).queue()),
                List.of(Integer.toString(max))).map(Response::toInteger);
    }

    /** Moves the given mailbox dead letters of a shard (those still there) back; completes with how many. */
    Future<Integer> mailboxEntries(int shard, List<String> stored) {
        if (stored.isEmpty()) {
            return Future.succeededFuture(0);
        }
        List<String> args = new ArrayList<>(1 + stored.size());
        args.add(Integer.toString(stored.size()));
        args.addAll(stored);
        return SCRIPT.run(redis, List.of(Keys.deadLetters(shard, null), Keys.mailbox(shard).queue()), args)
                .map(Response::toInteger);
    }

    /**
     * Replays those of {@code entries} still in the dead-letter list of a shard's {@code channel}
     * outbox; the last one given is queued nearest the claiming end. Completes with how many were replayed.
     */
    Future<Integer> outbox(int shard, Channel channel, int max, List<OutboxEntry> entries) {
        if (entries.isEmpty()) {
            return Future.succeededFuture(0);
        }
        List<String> keys = new ArrayList<>(2 + entries.size());
        List<String> args = new ArrayList<>(1 + 3 * entries.size());
        keys.add(Keys.deadLetters(shard, channel));
        keys.add(Keys.outbox(shard, channel).queue());
        args.add(Integer.toString(max));
        for (OutboxEntry e : entries) {
            keys.add(Keys.ledger(shard, e.messageId()));
            args.add(e.stored());
            args.add(e.deliveryId());
            args.add(e.fresh());
        }
        return SCRIPT.run(redis, keys, args).map(Response::toInteger);
    }
}

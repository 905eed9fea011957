package io.groupwire.core.ledger;

import io.groupwire.core.message.Channel;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.List;

/** The typed side of {@code peek.lua}: brings due retries back to the head of an outbox and answers its length. */
final class PeekScript {
    private static final LuaScript SCRIPT = LuaScript.load("peek");

    private final Redis redis;
    private final String retryKey;
    private final String outboxKey;

    /** For the outbox of {@code channel} on {@code shard} and its retry set. */
    PeekScript(Redis redis, int shard, Channel channel) {
        this.redis = redis;
        this.retryKey = Keys.retry(shard, channel);
        this.outboxKey = Keys.outbox(shard, channel).queue();
    }

    /** Moves up to {@code limit} retries due by {@code nowMillis} and completes with the outbox's length. */
    Future<Long> run(long nowMillis, int limit) {
        return SCRIPT.run(redis, List.of(retryKey, outboxKey), List.of(Long.toString(nowMillis), Integer.toString(limit)))
                .map(Response::toLong);
    }
}

package io.groupwire.core.events;

import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.List;

/** The typed side of {@code count_like.lua}: applies a like event to its message's count and acknowledges it. */
public final class CountLikeScript {
    private static final LuaScript SCRIPT = LuaScript.load("count_like");

    private final Redis redis;
    private final String group;
    private final String ttlSeconds;

    public CountLikeScript(Redis redis, String group, Duration ttl) {
        this.redis = redis;
        this.group = group;
        this.ttlSeconds = Long.toString(ttl.toSeconds());
    }

    /** Applies {@code e} (like.added or like.removed); completes with whether the count changed. */
    public Future<Boolean> apply(EventEntry e) {
        String groupId = e.field("group");
        String messageId = e.field("message");
        List<String> keys = List.of(Keys.likesCounted(e.shard(), groupId, messageId), Keys.likeCounts(e.shard(), groupId),
                Keys.events(e.shard()));
        List<String> args = List.of(group, e.id(), e.field("user"), "like.added".equals(e.type()) ? "1" : "0", messageId, ttlSeconds);
        return SCRIPT.run(redis, keys, args).map(r -> r.toInteger() == 1);
    }
}

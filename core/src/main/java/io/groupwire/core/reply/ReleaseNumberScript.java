package io.groupwire.core.reply;

import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.List;

/** The typed side of {@code release_number.lua}: frees a member's reply number for a group they left. */
final class ReleaseNumberScript {
    private static final LuaScript SCRIPT = LuaScript.load("release_number");

    private final Redis redis;

    ReleaseNumberScript(Redis redis) {
        this.redis = redis;
    }

    /** Completes with the number released, or null when the group had none for this phone. */
    Future<String> run(String phone, String groupId) {
        return SCRIPT.run(redis, List.of(Keys.phone(phone)), List.of(groupId)).map(r -> {
            String n = r.toString();
            return n.isEmpty() ? null : n;
        });
    }
}

package io.groupwire.core.directory;

import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.List;

/** The typed side of {@code clear_phone.lua}: forgets a user's phone only if it is still the number given. */
final class ClearPhoneScript {
    private static final LuaScript SCRIPT = LuaScript.load("clear_phone");

    private final Redis redis;

    ClearPhoneScript(Redis redis) {
        this.redis = redis;
    }

    /** Completes with whether the user's phone was {@code phone} and is now forgotten. */
    Future<Boolean> run(String userId, String phone) {
        return SCRIPT.run(redis, List.of(Keys.user(userId)), List.of(phone)).map(r -> r.toInteger() == 1);
    }
}

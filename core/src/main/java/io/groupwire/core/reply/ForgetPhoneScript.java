package io.groupwire.core.reply;

import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.List;

/** The typed side of {@code forget_phone.lua}: drops a lost phone's reply numbers if it is still the user's. */
final class ForgetPhoneScript {
    private static final LuaScript SCRIPT = LuaScript.load("forget_phone");

    private final Redis redis;

    ForgetPhoneScript(Redis redis) {
        this.redis = redis;
    }

    Future<Boolean> run(String phone, String userId) {
        return SCRIPT.run(redis, List.of(Keys.phone(phone)), List.of(userId)).map(r -> r.toInteger() == 1);
    }
}

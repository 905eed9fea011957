package io.groupwire.core.reply;

import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.List;

/** The typed side of {@code inbound_route.lua}: (phone, number) to user and group in one call. */
final class InboundRouteScript {
    private static final LuaScript SCRIPT = LuaScript.load("inbound_route");

    private final Redis redis;

    InboundRouteScript(Redis redis) {
        this.redis = redis;
    }

    Future<ReplyNumbers.Route> run(String phone, String number) {
        return SCRIPT.run(redis, List.of(Keys.phone(phone)), List.of(number)).map(r -> new ReplyNumbers.Route(
                blankToNull(r.get(0).toString()), blankToNull(r.get(1).toString()),
                r.get(2).toInteger() == 1, r.get(3).toInteger() == 1));
    }

    private static String blankToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}

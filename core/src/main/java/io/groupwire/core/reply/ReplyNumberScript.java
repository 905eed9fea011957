package io.groupwire.core.reply;

import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.List;

/** The typed side of {@code reply_number.lua}: a member's reply number for a group, assigned when first needed. */
final class ReplyNumberScript {
    private static final LuaScript SCRIPT = LuaScript.load("reply_number");

    private final Redis redis;
    private final NumberPool pool;

    ReplyNumberScript(Redis redis, NumberPool pool) {
        this.redis = redis;
        this.pool = pool;
    }

    /** @param sending an SMS goes out now (a shared number then routes replies to this group) */
    Future<ReplyNumbers.Assignment> run(String userId, String phone, String groupId, boolean sending) {
        List<String> args = new ArrayList<>(3 + pool.numbers().size());
        args.add(userId);
        args.add(groupId);
        args.add(sending ? "send" : "view");
        args.addAll(pool.numbers());
        return SCRIPT.run(redis, List.of(Keys.phone(phone)), args).map(r -> new ReplyNumbers.Assignment(
                r.get(0).toString(), r.get(1).toInteger() == 1, r.get(2).toInteger() == 1, r.get(3).toInteger() == 1));
    }
}

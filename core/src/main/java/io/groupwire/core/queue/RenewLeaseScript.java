package io.groupwire.core.queue;

import io.groupwire.core.redis.LuaScript;
import io.groupwire.core.redis.QueueKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.List;

/**
 * The Java side of {@code renew.lua}: extends a lease the caller holds, and never takes a free one,
 * so that renewing a queue while it is being released cannot take it back. The only place that
 * knows the script's KEYS/ARGV layout and reply.
 */
final class RenewLeaseScript {
    private static final LuaScript SCRIPT = LuaScript.load("renew");

    private RenewLeaseScript() {
    }

    /** Completes with whether the caller held the lease (and has it for {@code leaseMillis} more now). */
    static Future<Boolean> run(Redis redis, QueueKeys keys, String worker, long leaseMillis) {
        return SCRIPT.run(redis, List.of(keys.lease()), List.of(worker, Long.toString(leaseMillis)))
                .map(reply -> reply.toInteger() == 1);
    }
}

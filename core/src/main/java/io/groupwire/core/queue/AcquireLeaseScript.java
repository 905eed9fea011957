package io.groupwire.core.queue;

import io.groupwire.core.redis.LuaScript;
import io.groupwire.core.redis.QueueKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * The Java side of {@code acquire.lua}: takes a queue's lease when it is free (returning a
 * previous owner's unacknowledged entries to the queue's head) or renews it when the caller holds
 * it. The only place that knows the script's KEYS/ARGV layout and the shape of its reply.
 */
final class AcquireLeaseScript {
    private static final LuaScript SCRIPT = LuaScript.load("acquire");

    private AcquireLeaseScript() {
    }

    static Future<LeaseState> run(Redis redis, QueueKeys keys, String worker, long leaseMillis) {
        return SCRIPT.run(redis, List.of(keys.lease(), keys.inflight(), keys.queue()),
                        List.of(worker, Long.toString(leaseMillis)))
                .map(AcquireLeaseScript::decode);
    }

    /** {@code {held 1|0, recovered}} */
    private static LeaseState decode(Response reply) {
        return new LeaseState(reply.get(0).toInteger() == 1, reply.get(1).toInteger());
    }
}

package io.groupwire.core.queue;

import io.groupwire.core.redis.LuaScript;
import io.groupwire.core.redis.QueueKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * The Java side of {@code release.lua}: gives a queue's lease up, returning its unacknowledged
 * entries to the queue's head, so that the next owner takes the queue at once rather than after
 * the lease runs out. The only place that knows the script's KEYS/ARGV layout and reply.
 */
final class ReleaseLeaseScript {
    private static final LuaScript SCRIPT = LuaScript.load("release");

    /**
     * What releasing a lease did.
     *
     * @param held     whether the caller still held the lease; when not, nothing was changed
     * @param returned entries returned from the in-flight list to the queue's head
     */
    record Reply(boolean held, int returned) {
    }

    private ReleaseLeaseScript() {
    }

    static Future<Reply> run(Redis redis, QueueKeys keys, String worker) {
        return SCRIPT.run(redis, List.of(keys.lease(), keys.inflight(), keys.queue()), List.of(worker))
                .map(ReleaseLeaseScript::decode);
    }

    /** The returned count, or -1 when the lease was not held. */
    private static Reply decode(Response reply) {
        int n = reply.toInteger();
        return n < 0 ? new Reply(false, 0) : new Reply(true, n);
    }
}

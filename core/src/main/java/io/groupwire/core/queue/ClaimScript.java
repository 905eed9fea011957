package io.groupwire.core.queue;

import io.groupwire.core.redis.LuaScript;
import io.groupwire.core.redis.QueueKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.List;

/**
 * The typed side of {@code claim.lua}: moves the oldest entries of a queue into its in-flight list
 * and renews the lease once a third of it has run down (an empty claim of an idle queue writes
 * nothing), for the lease holder only.
 */
final class ClaimScript {
    private static final LuaScript SCRIPT = LuaScript.load("claim");

    private final Redis redis;
    private final QueueKeys queue;
    private final String worker;
    private final String leaseMillis;

    ClaimScript(Redis redis, QueueKeys queue, String worker, long leaseMillis) {
        this.redis = redis;
        this.queue = queue;
        this.worker = worker;
        this.leaseMillis = Long.toString(leaseMillis);
    }

    /**
     * Claims up to {@code max} entries: completes with them, oldest first, or fails with
     * {@link LeaseLostException} when the lease is not held.
     */
    Future<List<String>> run(int max) {
        return SCRIPT.run(redis, List.of(queue.queue(), queue.inflight(), queue.lease()),
                        List.of(worker, Integer.toString(max), leaseMillis))
                // the script answers false, which arrives as null, when the lease is not held
                .compose(r -> r == null ? Future.failedFuture(new LeaseLostException(queue.queue()))
                        : Future.succeededFuture(ReliableQueue.strings(r)));
    }
}

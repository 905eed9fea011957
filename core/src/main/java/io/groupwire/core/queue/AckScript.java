package io.groupwire.core.queue;

import io.groupwire.core.redis.LuaScript;
import io.groupwire.core.redis.QueueKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.List;

/** The typed side of {@code ack.lua}: removes acknowledged claims from a queue's in-flight list, for the lease holder only. */
final class AckScript {
    private static final LuaScript SCRIPT = LuaScript.load("ack");

    private final Redis redis;
    private final QueueKeys queue;
    private final String worker;

    AckScript(Redis redis, QueueKeys queue, String worker) {
        this.redis = redis;
        this.queue = queue;
        this.worker = worker;
    }

    /**
     * Acknowledges {@code entries} (not empty): completes with the number removed, or fails with
     * {@link LeaseLostException} when the lease is not held.
     */
    Future<Integer> run(List<String> entries) {
        List<String> keys = List.of(queue.inflight(), queue.lease());
        return Acknowledgement.acknowledge(entries, queue.queue(), ack -> {
            List<String> args = new ArrayList<>(2 + ack.args().size());
            args.add(worker);
            args.add(ack.mode());
            args.addAll(ack.args());
            return SCRIPT.run(redis, keys, args).map(r -> r.toInteger());
        });
    }
}

package io.groupwire.core.intake;

import io.groupwire.core.redis.Shards;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.time.Clock;

/**
 * The senders' source_guid bindings, which make {@code (sender, source_guid)} one key across groups
 * of different shards. A group's shard checks a guid atomically with the enqueue, but only against
 * that shard's records: a sender reusing a guid in a group of another shard would find nothing there.
 * So before the enqueue, the key is bound to its use in the sender's lane (the shard the sender's
 * id maps to, one Redis Cluster slot), and a second use with another group or text is refused there.
 *
 * <p>The two steps are not one transaction (the lane and the group's shard may be different slots),
 * and need not be: a binding only ever refuses a different use, so a crash between the steps leaves
 * a binding whose retry (the same use) passes it and completes the enqueue, which the shard's own
 * record then makes idempotent. A binding is kept as long as the shard's records
 * ({@link GuidBuckets}). Bindings are group-committed per lane like the enqueue per shard.
 */
final class SenderGuidBindings {
    private final Shards shards;
    private final Clock clock;
    private final GroupCommit<BindGuidsScript.Binding, Boolean>[] lanes;

    SenderGuidBindings(Redis redis, Shards shards, GuidBuckets buckets, Clock clock, int maxBatch, long timeoutMillis) {
        this.shards = shards;
        this.clock = clock;
        BindGuidsScript script = new BindGuidsScript(redis, buckets);
        @SuppressWarnings("unchecked") // an array of a generic type; every element is of that type
        GroupCommit<BindGuidsScript.Binding, Boolean>[] perLane = new GroupCommit[shards.count()];
        for (int i = 0; i < perLane.length; i++) {
            int lane = i;
            perLane[i] = new GroupCommit<>(maxBatch, timeoutMillis, batch -> script.run(lane, clock.millis(), batch));
        }
        this.lanes = perLane;
    }

    /** Completes with true when {@code use} is the first use of the sender's guid (now or before), false for a conflict. */
    Future<Boolean> bind(String senderId, String sourceGuid, String use) {
        return lanes[shards.of(senderId)].offer(new BindGuidsScript.Binding(senderId, sourceGuid, use));
    }
}

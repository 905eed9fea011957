package io.groupwire.core.intake;

import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.List;

/**
 * The typed side of {@code bind_guids.lua}: binds a batch of one lane's (sender, source_guid) keys
 * to their first use and answers, per key, whether this use is that first one.
 */
final class BindGuidsScript {
    private static final LuaScript SCRIPT = LuaScript.load("bind_guids");

    /** A key to bind: the sender, the guid and the use of this send. */
    record Binding(String senderId, String sourceGuid, String use) {
    }

    private final Redis redis;
    private final GuidBuckets buckets;

    BindGuidsScript(Redis redis, GuidBuckets buckets) {
        this.redis = redis;
        this.buckets = buckets;
    }

    /** Completes with, per binding in order, true when its use is the key's first (bound now or before). */
    Future<List<Boolean>> run(int lane, long nowMillis, List<Binding> batch) {
        List<String> keys = new ArrayList<>();
        for (long b : buckets.buckets(nowMillis)) {
            keys.add(Keys.senderGuidBucket(lane, b));
        }
        List<String> args = new ArrayList<>(1 + 2 * batch.size());
        args.add(Long.toString(buckets.currentTtlSeconds(nowMillis)));
        for (Binding b : batch) {
            args.add(GuidBuckets.field(b.senderId(), b.sourceGuid()));
            args.add(b.use());
        }
        return SCRIPT.run(redis, keys, args).map(r -> {
            String codes = r.toString();
            List<Boolean> out = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                out.add(codes.charAt(i) != 'C');
            }
            return out;
        });
    }
}

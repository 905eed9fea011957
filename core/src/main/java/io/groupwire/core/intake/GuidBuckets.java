package io.groupwire.core.intake;

import io.groupwire.core.redis.Keys;
import java.time.Duration;
import java.util.List;

/**
 * Where source_guid records are kept: per shard, one Redis hash per time bucket instead of one key
 * with its own expiry per message. A hash field costs less memory than a key, and a batch of
 * messages is checked with one HMGET per bucket instead of one SET per message.
 *
 * <p>A bucket is {@code ttl / SPLIT} wide (at least a second). A record written in bucket {@code b}
 * is looked up as long as the current bucket is at most {@code b + SPLIT}, so it is remembered for
 * at least {@code ttl} and at most {@code ttl} plus one bucket; each bucket expires a minute after
 * its last lookup could happen (room for clocks of gateways that disagree a little).
 */
final class GuidBuckets {
    /** Buckets per TTL: more means less memory held beyond the TTL, and one more lookup per batch. */
    static final int SPLIT = 2;
    private static final long SKEW_MARGIN_MILLIS = 60_000;

    private final long widthMillis;

    GuidBuckets(Duration ttl) {
        this.widthMillis = Math.max(1000, ceilDiv(ttl.toMillis(), SPLIT));
    }

    /** The bucket keys of a shard's records a lookup at {@code nowMillis} reads, the one it writes first. */
    List<String> keys(int shard, long nowMillis) {
        long[] buckets = buckets(nowMillis);
        String[] keys = new String[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            keys[i] = Keys.guidBucket(shard, buckets[i]);
        }
        return List.of(keys);
    }

    /** The buckets a lookup at {@code nowMillis} reads, the one it writes first. */
    long[] buckets(long nowMillis) {
        long current = Math.floorDiv(nowMillis, widthMillis);
        long[] buckets = new long[SPLIT + 1];
        for (int i = 0; i <= SPLIT; i++) {
            buckets[i] = current - i;
        }
        return buckets;
    }

    /** Seconds the current bucket must still live at {@code nowMillis}: until its last lookup, plus the margin. */
    long currentTtlSeconds(long nowMillis) {
        long current = Math.floorDiv(nowMillis, widthMillis);
        long lastLookupEnds = (current + SPLIT + 1) * widthMillis;
        return ceilDiv(lastLookupEnds - nowMillis + SKEW_MARGIN_MILLIS, 1000);
    }

    /** The hash field of a sender's guid; the length prefix keeps (sender, guid) pairs apart whatever they contain. */
    static String field(String senderId, String sourceGuid) {
        return senderId.length() + ":" + senderId + ":" + sourceGuid;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}

package io.groupwire.pacer;

import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.groupwire.core.message.Channel;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.RedisSettings;
import io.groupwire.core.redis.SharedBuckets;
import java.time.Duration;

/**
 * The pacer's token buckets, one per provider, held in Redis ({@link SharedBuckets}) so that every
 * pacer instance draws from the same bucket: the limit is global, not per instance.
 */
final class RedisBuckets implements AutoCloseable {
    private final SharedBuckets shared;

    RedisBuckets(RedisSettings settings) {
        this.shared = new SharedBuckets(settings);
    }

    /** The shared bucket of a channel; a changed limit replaces the stored configuration. */
    AsyncBucketProxy bucket(Channel channel, ChannelLimit limit) {
        return shared.bucket(Keys.bucket(channel), limit.burst(), limit.perSecond(), Duration.ofSeconds(1));
    }

    @Override
    public void close() {
        shared.close();
    }
}

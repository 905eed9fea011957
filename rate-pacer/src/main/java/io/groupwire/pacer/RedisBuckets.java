package io.groupwire.pacer;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.groupwire.core.message.Channel;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.RedisSettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.List;

/**
 * The pacer's token buckets, held in Redis through bucket4j's Lettuce integration so that every
 * pacer instance draws from the same bucket per provider: the limit is global, not per instance.
 */
final class RedisBuckets implements AutoCloseable {
    private final AutoCloseable client;
    private final AutoCloseable connection;
    private final ProxyManager<String> proxies;

    RedisBuckets(RedisSettings settings) {
        List<RedisURI> uris = settings.endpoints().stream().map(RedisURI::create).toList();
        RedisCodec<String, byte[]> codec = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
        ExpirationAfterWriteStrategy expiry = ExpirationAfterWriteStrategy
                .basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1));
        if (settings.cluster()) {
            RedisClusterClient c = RedisClusterClient.create(uris);
            c.setOptions(clusterOptions());
            StatefulRedisClusterConnection<String, byte[]> conn;
            try {
                conn = c.connect(codec);
            } catch (RuntimeException e) {
                // a pacer waiting for Redis tries again: each failed try must not leave a client's threads behind
                c.shutdown();
                throw e;
            }
            client = c::shutdown;
            connection = conn;
            proxies = Bucket4jLettuce.casBasedBuilder(conn).expirationAfterWrite(expiry).build();
        } else {
            RedisClient c = RedisClient.create(uris.get(0));
            StatefulRedisConnection<String, byte[]> conn;
            try {
                conn = c.connect(codec);
            } catch (RuntimeException e) {
                c.shutdown();
                throw e;
            }
            client = c::shutdown;
            connection = conn;
            proxies = Bucket4jLettuce.casBasedBuilder(conn).expirationAfterWrite(expiry).build();
        }
    }

    /**
     * Lettuce learns the topology once at connect and otherwise never: without refreshes, a failover
     * leaves the buckets' commands queued for a dead master. Adaptive triggers (MOVED, ASK, persistent
     * reconnects; all on by default since Lettuce 7) react at once, the periodic refresh catches what they miss, and a short command
     * timeout turns a bucket call stuck on a dead node into a failed step the pacer retries, instead
     * of a minute without tokens.
     */
    private static ClusterClientOptions clusterOptions() {
        return ClusterClientOptions.builder()
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(Duration.ofSeconds(5))
                        .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                        .build())
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
                .build();
    }

    /** The shared bucket of a channel; a changed limit replaces the stored configuration. */
    AsyncBucketProxy bucket(Channel channel, ChannelLimit limit) {
        BucketConfiguration config = BucketConfiguration.builder()
                .addLimit(b -> b.capacity(limit.burst()).refillGreedy(limit.perSecond(), Duration.ofSeconds(1)))
                .build();
        long version = Math.abs((long) (limit.perSecond() * 31 + limit.burst()) % Integer.MAX_VALUE);
        return proxies.asAsync().builder()
                .withImplicitConfigurationReplacement(version, TokensInheritanceStrategy.PROPORTIONALLY)
                .build(Keys.bucket(channel), config);
    }

    @Override
    public void close() {
        try {
            connection.close();
            client.close();
        } catch (Exception e) {
            // closing on shutdown: nothing left to do about it
        }
    }
}

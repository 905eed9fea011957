package io.groupwire.core.redis;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.io.File;
import java.time.Duration;
import java.util.List;

/**
 * Token buckets held in Redis through bucket4j's Lettuce integration, so that every instance of a
 * service draws from the same bucket: a limit is global, not per instance. The pacer's provider
 * rates and the gateway's per-user limits use it. Lettuce is given the same
 * {@link RedisSettings} as the services' Vert.x client: credentials, TLS, cluster.
 */
public final class SharedBuckets implements AutoCloseable {
    /** How long a full bucket outlives its last use before Redis forgets it. */
    private static final Duration KEEP_FULL_BUCKETS = Duration.ofMinutes(1);

    private final AutoCloseable client;
    private final AutoCloseable connection;
    private final ProxyManager<String> proxies;

    public SharedBuckets(RedisSettings settings) {
        List<RedisURI> uris = settings.endpoints().stream().map(RedisURI::create).toList();
        RedisCodec<String, byte[]> codec = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
        ExpirationAfterWriteStrategy expiry = ExpirationAfterWriteStrategy
                .basedOnTimeForRefillingBucketUpToMax(KEEP_FULL_BUCKETS);
        if (settings.cluster()) {
            RedisClusterClient c = RedisClusterClient.create(uris);
            c.setOptions(clusterOptions(settings));
            StatefulRedisClusterConnection<String, byte[]> conn;
            try {
                conn = c.connect(codec);
            } catch (RuntimeException e) {
                // a caller waiting for Redis tries again: each failed try must not leave a client's threads behind
                c.shutdown();
                throw e;
            }
            client = c::shutdown;
            connection = conn;
            proxies = Bucket4jLettuce.casBasedBuilder(conn).expirationAfterWrite(expiry).build();
        } else {
            RedisClient c = RedisClient.create(uris.get(0));
            c.setOptions(ClientOptions.builder().sslOptions(ssl(settings)).build());
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

    /** The JVM's trust store, or the certificates of {@code GROUPWIRE_REDIS_TLS_CA}. */
    private static SslOptions ssl(RedisSettings settings) {
        SslOptions.Builder b = SslOptions.builder().jdkSslProvider();
        if (settings.tlsCaFile() != null) {
            b.trustManager(new File(settings.tlsCaFile()));
        }
        return b.build();
    }

    /**
     * Lettuce learns the topology once at connect and otherwise never: without refreshes, a failover
     * leaves the buckets' commands queued for a dead master. Adaptive triggers (MOVED, ASK, persistent
     * reconnects; all on by default since Lettuce 7) react at once, the periodic refresh catches what
     * they miss, and a short command timeout turns a bucket call stuck on a dead node into a failed
     * call the caller retries, instead of a minute without tokens.
     */
    private static ClusterClientOptions clusterOptions(RedisSettings settings) {
        return ClusterClientOptions.builder()
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(Duration.ofSeconds(5))
                        .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                        .build())
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
                .sslOptions(ssl(settings))
                .build();
    }

    /**
     * The shared bucket under {@code key}: {@code capacity} tokens, refilled greedily at
     * {@code capacity} per {@code period}. A changed limit replaces the stored configuration (its
     * tokens carried over proportionally).
     */
    public AsyncBucketProxy bucket(String key, long capacity, Duration period) {
        return bucket(key, capacity, capacity, period);
    }

    /** Like {@link #bucket(String, long, Duration)} with a capacity apart from the refill: {@code refill} tokens per {@code period}. */
    public AsyncBucketProxy bucket(String key, long capacity, long refill, Duration period) {
        BucketConfiguration config = BucketConfiguration.builder()
                .addLimit(b -> b.capacity(capacity).refillGreedy(refill, period))
                .build();
        long version = Math.abs((capacity * 31 + refill) * 31 + period.toMillis()) % Integer.MAX_VALUE;
        return proxies.asAsync().builder()
                .withImplicitConfigurationReplacement(version, TokensInheritanceStrategy.PROPORTIONALLY)
                .build(key, config);
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

package io.groupwire.core.redis;

import io.groupwire.core.config.Env;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Where Redis is and how to talk to it, shared by every service.
 *
 * <p>{@code GROUPWIRE_REDIS_URL} (default {@code redis://127.0.0.1:6379}) names a single server;
 * {@code GROUPWIRE_REDIS_CLUSTER_NODES}, a comma-separated list of {@code redis://host:port} seed
 * nodes, switches to Redis Cluster. {@code GROUPWIRE_SHARDS} (default 16) is the number of mailbox
 * shards; every service of a deployment must agree on it, and the first to start records it.
 * {@code GROUPWIRE_REDIS_STARTUP_WAIT} (default 0: for ever) bounds how long a service started
 * while Redis is unreachable waits for it, reporting not-ready, before it gives up and exits.
 */
public record RedisSettings(List<String> endpoints, boolean cluster, int shards, int poolSize, Duration startupWait) {
    public static final String DEFAULT_URL = "redis://127.0.0.1:6379";

    /** Settings whose services wait for Redis at start-up for as long as it takes. */
    public RedisSettings(List<String> endpoints, boolean cluster, int shards, int poolSize) {
        this(endpoints, cluster, shards, poolSize, Duration.ZERO);
    }

    public static RedisSettings fromEnv(Env env) {
        String nodes = env.optional("GROUPWIRE_REDIS_CLUSTER_NODES");
        int shards = env.integer("GROUPWIRE_SHARDS", 16);
        int pool = env.integer("GROUPWIRE_REDIS_POOL_SIZE", 32);
        Duration wait = env.duration("GROUPWIRE_REDIS_STARTUP_WAIT", Duration.ZERO);
        if (nodes != null) {
            List<String> list = Arrays.stream(nodes.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            return new RedisSettings(list, true, shards, pool, wait);
        }
        return new RedisSettings(List.of(env.string("GROUPWIRE_REDIS_URL", DEFAULT_URL)), false, shards, pool, wait);
    }

    public static RedisSettings single(String url, int shards) {
        return new RedisSettings(List.of(url), false, shards, 32);
    }

    public RedisSettings withUrl(String url) {
        return new RedisSettings(List.of(url), false, shards, poolSize, startupWait);
    }

    /** Vert.x client options for these settings. */
    public RedisOptions toOptions() {
        RedisOptions options = new RedisOptions()
                .setType(cluster ? RedisClientType.CLUSTER : RedisClientType.STANDALONE)
                .setMaxPoolSize(poolSize)
                .setMaxPoolWaiting(100_000)
                .setMaxWaitingHandlers(100_000)
                .setPoolRecycleTimeout(15_000);
        if (cluster) {
            options.setUseReplicas(RedisReplicas.NEVER);
        }
        endpoints.forEach(options::addConnectionString);
        return options;
    }

    /** The endpoints with any password hidden, for logs. */
    public String describe() {
        return (cluster ? "cluster " : "") + endpoints.stream().map(RedisSettings::redact).toList();
    }

    static String redact(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }
}

package io.groupwire.core.redis;

import io.groupwire.core.config.Env;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Where Redis is and how to talk to it, shared by every service and by both Redis clients (the
 * Vert.x client of the services, {@link #toOptions}; Lettuce under the shared token buckets,
 * {@link SharedBuckets}).
 *
 * <p>{@code GROUPWIRE_REDIS_URL} (default {@code redis://127.0.0.1:6379}) names a single server;
 * {@code GROUPWIRE_REDIS_CLUSTER_NODES}, a comma-separated list of seed nodes, switches to Redis
 * Cluster. A URL may carry credentials ({@code redis://:password@host:port} for
 * {@code requirepass}, {@code redis://user:password@host:port} for an ACL user; percent-encode
 * what is not a letter or digit) and {@code rediss://} for TLS. On a cluster the first seed's
 * credentials and TLS are used for every node. {@code GROUPWIRE_REDIS_TLS_CA} names a PEM file of
 * the certificates to trust for TLS instead of the JVM's own (a private CA); the server's name
 * (or IP address) must match its certificate. {@code GROUPWIRE_SHARDS} (default 16) is the number
 * of mailbox shards; every service of a deployment must agree on it, and the first to start
 * records it. {@code GROUPWIRE_REDIS_STARTUP_WAIT} (default 0: for ever) bounds how long a service
 * started while Redis is unreachable waits for it, reporting not-ready, before it gives up and exits.
 *
 * @param tlsCaFile PEM file of trusted certificates for {@code rediss://}, or null for the JVM's
 */
public record RedisSettings(List<String> endpoints, boolean cluster, int shards, int poolSize, Duration startupWait,
                            String tlsCaFile) {
    public static final String DEFAULT_URL = "redis://127.0.0.1:6379";

    public RedisSettings {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no Redis endpoint given");
        }
    }

    /** Settings whose services wait for Redis at start-up for as long as it takes. */
    public RedisSettings(List<String> endpoints, boolean cluster, int shards, int poolSize) {
        this(endpoints, cluster, shards, poolSize, Duration.ZERO, null);
    }

    public RedisSettings(List<String> endpoints, boolean cluster, int shards, int poolSize, Duration startupWait) {
        this(endpoints, cluster, shards, poolSize, startupWait, null);
    }

    public static RedisSettings fromEnv(Env env) {
        String nodes = env.optional("GROUPWIRE_REDIS_CLUSTER_NODES");
        int shards = env.integer("GROUPWIRE_SHARDS", 16);
        int pool = env.integer("GROUPWIRE_REDIS_POOL_SIZE", 32);
        String ca = env.optional("GROUPWIRE_REDIS_TLS_CA");
        Duration wait = env.duration("GROUPWIRE_REDIS_STARTUP_WAIT", Duration.ZERO);
        if (nodes != null) {
            List<String> list = Arrays.stream(nodes.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            return new RedisSettings(list, true, shards, pool, wait, ca);
        }
        return new RedisSettings(List.of(env.secret("GROUPWIRE_REDIS_URL") == null ? DEFAULT_URL
                : env.secret("GROUPWIRE_REDIS_URL")), false, shards, pool, wait, ca);
    }

    public static RedisSettings single(String url, int shards) {
        return new RedisSettings(List.of(url), false, shards, 32);
    }

    public RedisSettings withUrl(String url) {
        return new RedisSettings(List.of(url), false, shards, poolSize, startupWait, tlsCaFile);
    }

    /** Whether the endpoints ask for TLS ({@code rediss://}). */
    public boolean tls() {
        return endpoints.get(0).regionMatches(true, 0, "rediss:", 0, 7);
    }

    /** The user of the first endpoint's credentials, or null (Redis's {@code default} user). */
    public String user() {
        String[] userInfo = userInfo();
        return userInfo == null || userInfo[0].isEmpty() ? null : userInfo[0];
    }

    /** The password of the first endpoint's credentials, or null. Never log it. */
    public String password() {
        String[] userInfo = userInfo();
        return userInfo == null || userInfo.length < 2 ? null : userInfo[1];
    }

    private String[] userInfo() {
        String raw = URI.create(endpoints.get(0)).getRawUserInfo();
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        int colon = raw.indexOf(':');
        // "redis://secret@host" is Redis's older form: a password alone
        String[] parts = colon < 0 ? new String[] {"", raw} : new String[] {raw.substring(0, colon), raw.substring(colon + 1)};
        parts[0] = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
        parts[1] = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
        return parts;
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
        // set apart from the URLs too, so that the nodes a cluster client discovers get them
        if (password() != null) {
            options.setPassword(password());
            if (user() != null) {
                options.setUser(user());
            }
        }
        if (tls()) {
            NetClientOptions net = new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
            if (tlsCaFile != null) {
                net.setTrustOptions(new PemTrustOptions().addCertPath(tlsCaFile));
            }
            options.setNetClientOptions(net);
        }
        endpoints.forEach(options::addConnectionString);
        return options;
    }

    /** The endpoints with any password hidden, for logs. */
    public String describe() {
        return (cluster ? "cluster " : "") + endpoints.stream().map(RedisSettings::redact).toList();
    }

    /** This record without its secrets, should it ever be printed. */
    @Override
    public String toString() {
        return "RedisSettings[" + describe() + ", shards=" + shards + ", poolSize=" + poolSize + ", startupWait="
                + startupWait + ", tlsCa=" + tlsCaFile + "]";
    }

    static String redact(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }
}

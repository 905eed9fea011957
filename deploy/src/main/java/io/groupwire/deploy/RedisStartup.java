package io.groupwire.deploy;

import io.groupwire.core.config.Env;
import io.groupwire.core.redis.RedisProcess;
import io.groupwire.sandbox.EmbeddedRedis;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides where the all-in-one runner's Redis comes from: the server or cluster the environment
 * names, or else an embedded {@code redis-server} on {@code GROUPWIRE_EMBEDDED_REDIS_PORT} (6379)
 * with its AOF in {@code GROUPWIRE_DATA_DIR}/redis, so that a restart keeps the queued messages.
 * {@code GROUPWIRE_EMBEDDED_REDIS_FSYNC} ({@code everysec}) sets its {@code appendfsync}: {@code always}
 * makes a crash of Redis itself lose nothing acknowledged, at the cost of an fsync per event-loop turn.
 */
final class RedisStartup {
    private static final Logger LOG = LoggerFactory.getLogger(RedisStartup.class);

    private RedisStartup() {
    }

    /** The embedded server, or null when the environment names a Redis to use. */
    static RedisProcess startIfNeeded(Env env, Path dataDir) throws IOException {
        if (env.optional("GROUPWIRE_REDIS_URL") != null || env.optional("GROUPWIRE_REDIS_CLUSTER_NODES") != null) {
            return null;
        }
        int port = env.integer("GROUPWIRE_EMBEDDED_REDIS_PORT", 6379);
        String fsync = env.string("GROUPWIRE_EMBEDDED_REDIS_FSYNC", "everysec");
        if (!List.of("everysec", "always", "no").contains(fsync)) {
            throw new IllegalArgumentException("GROUPWIRE_EMBEDDED_REDIS_FSYNC must be everysec, always or no");
        }
        RedisProcess redis = EmbeddedRedis.start(port, dataDir.resolve("redis"), List.of("--appendfsync", fsync));
        LOG.info("embedded Redis on {} (AOF {} in {})", redis.url(), fsync, redis.dir());
        return redis;
    }
}

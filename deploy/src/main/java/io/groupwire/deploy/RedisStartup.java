package io.groupwire.deploy;

import io.groupwire.core.config.Env;
import io.groupwire.core.redis.RedisProcess;
import io.groupwire.sandbox.EmbeddedRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides where the all-in-one runner's Redis comes from: the server or cluster the environment
 * names, or else an embedded {@code redis-server} on {@code GROUPWIRE_EMBEDDED_REDIS_PORT} (6379,
 * loopback) with its AOF in {@code GROUPWIRE_DATA_DIR}/redis, so that a restart keeps the queued
 * messages. {@code GROUPWIRE_EMBEDDED_REDIS_FSYNC} ({@code everysec}) sets its {@code appendfsync}:
 * {@code always} makes a crash of Redis itself lose nothing acknowledged, at the cost of an fsync
 * per event-loop turn. The embedded server requires a password, generated once into
 * {@code GROUPWIRE_DATA_DIR/redis-password} (mode 600): loopback is shared by every user of the
 * machine. The password is never logged.
 */
final class RedisStartup {
    private static final Logger LOG = LoggerFactory.getLogger(RedisStartup.class);
    static final String PASSWORD_FILE = "redis-password";
    static final String PORT_VARIABLE = "GROUPWIRE_EMBEDDED_REDIS_PORT";

    private RedisStartup() {
    }

    /** Whether the environment names a Redis to use, so that none is embedded. */
    static boolean external(Env env) {
        return env.secret("GROUPWIRE_REDIS_URL") != null || env.optional("GROUPWIRE_REDIS_CLUSTER_NODES") != null;
    }

    static int port(Env env) {
        return env.integer(PORT_VARIABLE, 6379);
    }

    /** The embedded server's directory inside the data directory. */
    static Path dir(Path dataDir) {
        return dataDir.resolve("redis");
    }

    /** The embedded server, or null when the environment names a Redis to use. */
    static RedisProcess startIfNeeded(Env env, Path dataDir) throws IOException {
        if (external(env)) {
            return null;
        }
        String fsync = env.string("GROUPWIRE_EMBEDDED_REDIS_FSYNC", "everysec");
        if (!List.of("everysec", "always", "no").contains(fsync)) {
            throw new IllegalArgumentException("GROUPWIRE_EMBEDDED_REDIS_FSYNC must be everysec, always or no");
        }
        Path dir = dir(dataDir);
        DataDir.ownerOnly(dir);
        RedisProcess redis = EmbeddedRedis.start(port(env), dir, List.of("--appendfsync", fsync), password(dataDir));
        LOG.info("embedded Redis on 127.0.0.1:{}, pid {} (AOF {} in {}; clients authenticate with the password in {})",
                redis.port(), redis.pid(), fsync, redis.dir(), dataDir.resolve(PASSWORD_FILE).toAbsolutePath());
        return redis;
    }

    /** The embedded server's password: generated on first start, then read from its file. */
    private static String password(Path dataDir) throws IOException {
        Path file = dataDir.resolve(PASSWORD_FILE);
        if (!Files.exists(file)) {
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        }
        return Files.readString(file).strip();
    }
}

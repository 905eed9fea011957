package io.groupwire.core.testing;

import io.groupwire.core.redis.RedisProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import redis.embedded.core.ExecutableProvider;

/**
 * Starts the tests' own Redis servers from the binary the embedded-redis artifact ships (a test
 * dependency wherever core's test support is used), or the one {@code GROUPWIRE_REDIS_SERVER}
 * names. Production code never sees embedded-redis: the runner and the bench get their binary
 * from the sandbox's {@code EmbeddedRedis}.
 */
public final class RedisServers {
    private RedisServers() {
    }

    /** The redis-server binary the tests run. */
    public static Path binary() throws IOException {
        return RedisProcess.binary(() -> ExecutableProvider.newJarResourceProvider().get());
    }

    /** A throw-away server on a free port in a temporary directory. */
    public static RedisProcess startTemporary() throws IOException {
        return RedisProcess.startTemporary(binary());
    }

    /** A server on {@code port} (0 picks a free one) with its data in {@code dir}. */
    public static RedisProcess start(int port, Path dir, List<String> extraArgs) throws IOException {
        return RedisProcess.start(binary(), port, dir, extraArgs);
    }

    /** Like {@link #start(int, Path, List)}, requiring {@code password} of Redis's default user (null: none). */
    public static RedisProcess start(int port, Path dir, List<String> extraArgs, String password) throws IOException {
        return RedisProcess.start(binary(), port, dir, extraArgs, password);
    }
}

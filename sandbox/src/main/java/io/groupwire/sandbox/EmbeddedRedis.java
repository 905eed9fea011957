package io.groupwire.sandbox;

import io.groupwire.core.redis.RedisProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import redis.embedded.core.ExecutableProvider;

/**
 * The local stand-in for a Redis deployment: a {@link RedisProcess} of the {@code redis-server}
 * binary that the embedded-redis artifact ships (or the one {@code GROUPWIRE_REDIS_SERVER} names),
 * for the all-in-one runner and the bench. Only modules that are not services carry it.
 */
public final class EmbeddedRedis {
    private EmbeddedRedis() {
    }

    /** Starts a server on {@code port} (0 picks a free one) with its data in {@code dir}. */
    public static RedisProcess start(int port, Path dir, List<String> extraArgs) throws IOException {
        return start(port, dir, extraArgs, null);
    }

    /** Like {@link #start(int, Path, List)}, requiring {@code password} (null: none) of every client. */
    public static RedisProcess start(int port, Path dir, List<String> extraArgs, String password) throws IOException {
        return RedisProcess.start(RedisProcess.binary(() -> ExecutableProvider.newJarResourceProvider().get()), port,
                dir, extraArgs, password);
    }
}

package io.groupwire.core.testing;

import io.groupwire.core.redis.RedisProcess;
import io.groupwire.core.redis.RedisSettings;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * The real Redis that tests talk to: the one {@code GROUPWIRE_TEST_REDIS_URL} names, or else one
 * {@link RedisProcess} started once per test JVM from the embedded-redis binary and stopped when
 * the JVM exits. Never a mock.
 */
public final class TestRedis {
    private static String url;

    private TestRedis() {
    }

    /** The URL of the test Redis, starting it on first use. */
    public static synchronized String url() {
        if (url == null) {
            String external = System.getenv("GROUPWIRE_TEST_REDIS_URL");
            if (external != null && !external.isBlank()) {
                url = external;
            } else {
                try {
                    RedisProcess p = RedisServers.startTemporary();
                    Runtime.getRuntime().addShutdownHook(new Thread(p::close, "test-redis-stop"));
                    url = p.url();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return url;
    }

    public static RedisSettings settings(int shards) {
        return RedisSettings.single(url(), shards);
    }

    /** A Vert.x client of the test Redis. */
    public static Redis client(Vertx vertx) {
        return Redis.createClient(vertx, settings(16).toOptions());
    }

    /** Empties the test Redis; call before each test so that tests do not see each other's keys. */
    public static void flushAll(Redis redis) {
        try {
            redis.send(Request.cmd(Command.FLUSHALL)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("FLUSHALL failed", e);
        }
    }

    /** Waits for a Vert.x future in a test; fails on error or after 30 s. */
    public static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.groupwire.core.testing;

import static io.groupwire.core.testing.TestRedis.await;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * For tests of one class against the test Redis: a Vert.x and a client shared by the class, and
 * an empty Redis before each test (before the subclass's own {@code @BeforeEach}).
 */
public abstract class RedisTestBase {
    protected static Vertx vertx;
    protected static Redis redis;

    @BeforeAll
    static void startRedisClient() {
        vertx = Vertx.vertx();
        redis = TestRedis.client(vertx);
    }

    @AfterAll
    static void stopRedisClient() {
        redis.close();
        await(vertx.close());
    }

    @BeforeEach
    void emptyRedis() {
        TestRedis.flushAll(redis);
    }
}

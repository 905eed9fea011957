package io.groupwire.deploy.fault;

import io.groupwire.core.redis.RedisProcess;
import io.groupwire.core.testing.RedisServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One redis-server; its fault is a crash ({@code kill -9}) and a restart that replays the AOF.
 * It runs with {@code appendfsync always}: with {@code everysec}, Redis postpones its AOF write
 * (silently, up to two seconds) while the previous fsync is still running, and answers clients
 * meanwhile, so a crash of the Redis process alone can lose acknowledged writes. The suite found
 * exactly that on this machine's disk; zero loss through a Redis crash needs fsync on every write
 * (or a replica and {@code GROUPWIRE_WAIT_REPLICAS}).
 */
final class SingleRedis implements RedisTopology {
    private final RedisProcess redis;
    private final long downMillis;

    SingleRedis(Path dir, long downMillis) throws IOException {
        Files.createDirectories(dir);
        this.redis = RedisServers.start(0, dir, List.of("--appendfsync", "always"));
        this.downMillis = downMillis;
    }

    @Override
    public String name() {
        return "single";
    }

    @Override
    public Map<String, String> env() {
        return Map.of("GROUPWIRE_REDIS_URL", redis.url());
    }

    @Override
    public String faultName() {
        return "redis kill -9 + restart from AOF";
    }

    @Override
    public void inflictFault() throws Exception {
        redis.kill();
        // stay down a while: the gateway must answer 503 and the services must wait, not die
        Thread.sleep(downMillis);
        redis.restart();
    }

    @Override
    public void close() {
        redis.close();
    }
}

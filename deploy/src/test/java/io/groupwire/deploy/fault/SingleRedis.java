package io.groupwire.deploy.fault;

import io.groupwire.core.redis.RedisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One redis-server with AOF {@code everysec}; its fault is a crash ({@code kill -9}) and a restart
 * that replays the AOF. The process dies but the machine does not, so every write Redis
 * acknowledged is in the AOF file (Redis writes it before replying; only the fsync is deferred).
 */
final class SingleRedis implements RedisTopology {
    private final RedisProcess redis;
    private final long downMillis;

    SingleRedis(Path dir, long downMillis) throws IOException {
        Files.createDirectories(dir);
        this.redis = RedisProcess.start(0, dir, List.of());
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

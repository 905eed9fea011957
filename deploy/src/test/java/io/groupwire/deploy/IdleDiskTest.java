package io.groupwire.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.redis.RedisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The disk an idle all-in-one runner uses (issue 12: its AOF grew ~57 KB/s with no traffic at
 * all). Runs the runner idle for {@code -Dgroupwire.idle.seconds} (30 by default; 3600 is the soak
 * of docs/performance.md), prints the size of its Redis directory as it goes, and asserts that the
 * idle writes are proportionate (the lease renewals: a few KB/s) and that the AOF stays bounded by
 * its rewrite settings.
 */
class IdleDiskTest {
    static final long SECONDS = Long.getLong("groupwire.idle.seconds", 30);
    /**
     * The idle writes: 64 leases renewed three times per 10 s lease (~100 bytes each, ~2 KB/s), each
     * instance's report card once a second for the console (~3.5 KB/s for four), and the heartbeats.
     */
    static final long MAX_BYTES_PER_SECOND = 8_000;

    @Test
    @Timeout(value = 7200, unit = java.util.concurrent.TimeUnit.SECONDS)
    void anIdleRunnersRedisWritesLittleAndItsAofStaysBounded() throws Exception {
        Path dir = Files.createTempDirectory("groupwire-idle");
        int[] ports = ReadmeSessionTest.freePorts(7);
        Map<String, String> env = new HashMap<>(Map.of(
                "GROUPWIRE_HTTP_PORT", Integer.toString(ports[0]), "GROUPWIRE_TRANSPORT_PORT", Integer.toString(ports[1]),
                "GROUPWIRE_PACER_PORT", Integer.toString(ports[2]), "GROUPWIRE_SANDBOX_PORT", Integer.toString(ports[3]),
                "GROUPWIRE_SANDBOX_APNS_PORT", Integer.toString(ports[4]),
                "GROUPWIRE_EMBEDDED_REDIS_PORT", Integer.toString(ports[5]),
                "GROUPWIRE_EVENTS_PORT", Integer.toString(ports[6])));
        Path redis = dir.resolve("groupwire-data/redis");
        try (ReadmeSessionTest.RunningPlatform running = ReadmeSessionTest.RunningPlatform.start(dir, env)) {
            Thread.sleep(3_000); // the services take their leases
            long start = bytes(redis);
            long most = start;
            long step = Math.max(5, SECONDS / 12);
            for (long t = step; t <= SECONDS; t += step) {
                Thread.sleep(step * 1000);
                long now = bytes(redis);
                most = Math.max(most, now);
                System.out.printf("idle %5d s: %,d bytes in %s (%,d B/s since start)%n", t, now, redis,
                        (now - start) / t);
            }
            long end = bytes(redis);
            long rate = (end - start) / SECONDS;
            assertTrue(end < start || rate <= MAX_BYTES_PER_SECOND, "idle writes of " + rate + " B/s");
            long bound = 2 * parseSize(RedisProcess.AOF_REWRITE_MIN_SIZE) + start;
            assertTrue(most <= bound, "the AOF reached " + most + " bytes; its rewrite should keep it under " + bound);
        } finally {
            ReadmeSessionTest.deleteTree(dir);
        }
    }

    static long bytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // a file the rewrite just replaced
                }
            }).sum();
        }
    }

    static long parseSize(String redisSize) {
        String s = redisSize.toLowerCase();
        long unit = s.endsWith("mb") ? 1 << 20 : s.endsWith("kb") ? 1 << 10 : 1;
        return Long.parseLong(s.replaceAll("[a-z]", "")) * unit;
    }
}

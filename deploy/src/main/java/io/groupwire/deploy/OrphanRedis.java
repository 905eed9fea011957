package io.groupwire.deploy;

import io.groupwire.core.redis.RedisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the embedded Redis that a previous runner on the same data directory left running (the
 * runner was killed with {@code kill -9}, or crashed, and its child outlived it) by the pid file the
 * server keeps in its directory, and stops it, saying so: the new runner starts its own, which
 * replays the same AOF. Nothing but a {@code redis-server} named by that pid file is ever stopped;
 * a stale pid file (the server is gone, or the pid now belongs to another program) is removed.
 */
final class OrphanRedis {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanRedis.class);
    private static final long STOP_SECONDS = 10;

    private OrphanRedis() {
    }

    /** Stops the previous runner's server found in {@code redisDir}, if any; answers its pid, or -1. */
    static long stopIfAny(Path redisDir) throws IOException {
        Path pidFile = redisDir.resolve(RedisProcess.PID_FILE);
        if (!Files.exists(pidFile)) {
            return -1;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (NumberFormatException e) {
            Files.deleteIfExists(pidFile);
            return -1;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(OrphanRedis::isRedisServer);
        if (handle.isEmpty()) {
            Files.deleteIfExists(pidFile);
            return -1;
        }
        ProcessHandle orphan = handle.get();
        LOG.warn("the embedded Redis of a previous run is still running (pid {}, data in {}): its runner did not "
                + "stop it (killed?); stopping it now, and starting this runner's own on the same data", pid, redisDir);
        orphan.destroy();
        try {
            orphan.onExit().get(STOP_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("pid {} did not stop in {} s after SIGTERM; killing it", pid, STOP_SECONDS);
            orphan.destroyForcibly();
            try {
                orphan.onExit().get(STOP_SECONDS, TimeUnit.SECONDS);
            } catch (Exception again) {
                throw new IllegalStateException("the previous run's embedded Redis (pid " + pid + ") cannot be stopped");
            }
        }
        LOG.info("stopped the previous run's embedded Redis (pid {}); its AOF is kept and replayed", pid);
        Files.deleteIfExists(pidFile);
        return pid;
    }

    private static boolean isRedisServer(ProcessHandle p) {
        return p.info().command().map(c -> Path.of(c).getFileName().toString().startsWith("redis-server")).orElse(false);
    }
}

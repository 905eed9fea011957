package io.groupwire.deploy.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Groupwire service (transport or pacer) run as its own OS process from the test classpath,
 * the way production runs it, so that the fault suite can {@code kill -9} it and start it again.
 * Its output goes to a log file per role and index, appended across restarts.
 */
final class ServiceProcess implements AutoCloseable {
    private final String role;
    private final int index;
    private final Map<String, String> env;
    private final Path log;
    private Process process;
    private int generation;
    private int kills;
    private int port;

    ServiceProcess(String role, int index, Map<String, String> env, Path logDir) throws IOException {
        this.role = role;
        this.index = index;
        this.env = Map.copyOf(env);
        Files.createDirectories(logDir);
        this.log = logDir.resolve(role + "-" + index + ".log");
    }

    String name() {
        return role + "-" + index;
    }

    /**
     * Starts the process (a new one, with a new worker id, after a kill), its /health and /metrics
     * on a free port of its own so that the suite can ask it.
     */
    synchronized void start() throws IOException {
        generation++;
        port = io.groupwire.core.redis.RedisProcess.freePort();
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                "io.groupwire.deploy.Main", role));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // only what the suite says: a GROUPWIRE_* variable of the CI machine must not leak in
        pb.environment().keySet().removeIf(k -> k.startsWith("GROUPWIRE_"));
        pb.environment().putAll(env);
        pb.environment().put("GROUPWIRE_WORKER_ID", worker());
        if (role.equals("transport") || role.equals("pacer")) {
            pb.environment().put("GROUPWIRE_" + role.toUpperCase() + "_PORT", Integer.toString(port));
        }
        process = pb.start();
    }

    String role() {
        return role;
    }

    /** The worker id of the current (or last) process: its name in leases and ledger marks. */
    synchronized String worker() {
        return name() + "-g" + generation;
    }

    /** The base URL of the current process's /health and /metrics. */
    synchronized String managementUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** SIGTERM, and waits for the graceful stop: returns the exit code (143 for a clean stop on SIGTERM). */
    synchronized int terminate() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return process == null ? -1 : process.exitValue();
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return -9;
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook runs, in-flight work is abandoned mid-step, as in a crash. */
    synchronized void kill9() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            kills++;
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    synchronized int kills() {
        return kills;
    }

    Path log() {
        return log;
    }

    /** SIGTERM, the graceful stop; SIGKILL if it has not gone in 30 s. */
    @Override
    public synchronized void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

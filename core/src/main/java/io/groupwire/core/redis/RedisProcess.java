package io.groupwire.core.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.embedded.core.ExecutableProvider;

/**
 * A real {@code redis-server} run as a child process: the binary that the embedded-redis artifact
 * ships (or the one {@code GROUPWIRE_REDIS_SERVER} names), on loopback, with AOF on and
 * {@code noeviction}. Used by the all-in-one runner and by every test; it can be killed and
 * restarted on the same data directory to replay its AOF.
 */
public final class RedisProcess implements AutoCloseable {
    private final Path binary;
    private final int port;
    private final Path dir;
    private final List<String> extraArgs;
    private Process process;

    private RedisProcess(Path binary, int port, Path dir, List<String> extraArgs) {
        this.binary = binary;
        this.port = port;
        this.dir = dir;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Starts a server on {@code port} (0 picks a free one) with its data in {@code dir}. */
    public static RedisProcess start(int port, Path dir, List<String> extraArgs) throws IOException {
        Files.createDirectories(dir);
        RedisProcess p = new RedisProcess(binary(), port == 0 ? freePort() : port, dir, extraArgs);
        p.launch();
        return p;
    }

    /** Starts a throw-away server on a free port in a temporary directory. */
    public static RedisProcess startTemporary() throws IOException {
        return start(0, Files.createTempDirectory("groupwire-redis"), List.of());
    }

    /** The redis-server binary: {@code GROUPWIRE_REDIS_SERVER} if set, else the one embedded-redis ships. */
    public static Path binary() throws IOException {
        String explicit = System.getenv("GROUPWIRE_REDIS_SERVER");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        File f = ExecutableProvider.newJarResourceProvider().get();
        if (!f.canExecute() && !f.setExecutable(true)) {
            throw new IOException("cannot make " + f + " executable");
        }
        return f.toPath();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    private void launch() throws IOException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(),
                "--port", Integer.toString(port),
                "--bind", "127.0.0.1",
                "--dir", dir.toAbsolutePath().toString(),
                "--appendonly", "yes",
                "--appendfsync", "everysec",
                "--save", "",
                "--maxmemory-policy", "noeviction",
                // a source_guid bucket is one large hash; freeing it when it expires must not stall Redis
                "--lazyfree-lazy-expire", "yes",
                "--protected-mode", "no",
                "--daemonize", "no",
                "--logfile", "redis.log"));
        cmd.addAll(extraArgs);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.out").toFile()).start();
        awaitPong(Duration.ofSeconds(20));
    }

    private void awaitPong(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue() + "; see " + dir.resolve("redis.log"));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                s.setSoTimeout(500);
                OutputStream out = s.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[64];
                int n = in.read(buf);
                if (n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG")) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for redis", e);
            }
        }
        throw new IOException("redis-server on port " + port + " did not answer PING", last);
    }

    /** Kills the server without warning (SIGKILL), as a crash would. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitForExit();
        }
    }

    /** Starts the server again on the same port and data directory: it replays its AOF. */
    public void restart() throws IOException {
        if (isAlive()) {
            kill();
        }
        launch();
    }

    private void waitForExit() {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the server (SIGTERM: it flushes its AOF first; SIGKILL if it has not gone in 3 s). */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(3, java.util.concurrent.TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}

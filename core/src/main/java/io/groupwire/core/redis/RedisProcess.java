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
import java.util.concurrent.Callable;

/**
 * A real {@code redis-server} run as a child process, on loopback, with AOF on and
 * {@code noeviction}: the binary it is given, which {@link #binary} picks (the one
 * {@code GROUPWIRE_REDIS_SERVER} names, or else one shipped with the caller). Used by the
 * all-in-one runner, the bench and every test; it can be killed and restarted on the same data
 * directory to replay its AOF. It depends on nothing: the modules that carry the 12 MB
 * embedded-redis artifact (the sandbox; core's tests) hand it their binary.
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

    /** Starts {@code binary} on {@code port} (0 picks a free one) with its data in {@code dir}. */
    public static RedisProcess start(Path binary, int port, Path dir, List<String> extraArgs) throws IOException {
        Files.createDirectories(dir);
        RedisProcess p = new RedisProcess(binary, port == 0 ? freePort() : port, dir, extraArgs);
        p.launch();
        return p;
    }

    /** Starts a throw-away server on a free port in a temporary directory. */
    public static RedisProcess startTemporary(Path binary) throws IOException {
        return start(binary, 0, Files.createTempDirectory("groupwire-redis"), List.of());
    }

    /**
     * The redis-server binary to run: {@code GROUPWIRE_REDIS_SERVER} if set, else the file
     * {@code shipped} yields (made executable), such as the one the embedded-redis artifact unpacks.
     */
    public static Path binary(Callable<File> shipped) throws IOException {
        String explicit = System.getenv("GROUPWIRE_REDIS_SERVER");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        File f;
        try {
            f = shipped.call();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot find a redis-server binary", e);
        }
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

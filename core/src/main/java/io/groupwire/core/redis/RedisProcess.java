package io.groupwire.core.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 *
 * <p>It writes its pid to {@link #PID_FILE} in its directory (so that whoever owns the directory
 * can find it again after a crash of its parent), rewrites its AOF once it has doubled past
 * {@link #AOF_REWRITE_MIN_SIZE} (so that an idle server's AOF stays small), and, when given a
 * password, requires it: the password goes into a config file of mode 600 in its directory, never
 * on the command line, where any user of the machine could read it.
 */
public final class RedisProcess implements AutoCloseable {
    /** The file in the server's directory that holds its pid while it runs. */
    public static final String PID_FILE = "redis.pid";
    /** The AOF is rewritten when it has doubled since the last rewrite and is at least this big. */
    public static final String AOF_REWRITE_MIN_SIZE = "4mb";
    private static final String CONFIG_FILE = "redis-auth.conf";

    private final Path binary;
    private final int port;
    private final Path dir;
    private final List<String> extraArgs;
    private final String password;
    private Process process;

    private RedisProcess(Path binary, int port, Path dir, List<String> extraArgs, String password) {
        this.binary = binary;
        this.port = port;
        this.dir = dir;
        this.extraArgs = List.copyOf(extraArgs);
        this.password = password;
    }

    /** Starts {@code binary} on {@code port} (0 picks a free one) with its data in {@code dir}. */
    public static RedisProcess start(Path binary, int port, Path dir, List<String> extraArgs) throws IOException {
        return start(binary, port, dir, extraArgs, null);
    }

    /**
     * Like {@link #start(Path, int, Path, List)}; with a {@code password} (null: none) every client
     * must authenticate as Redis's {@code default} user with it, and {@link #url} carries it.
     */
    public static RedisProcess start(Path binary, int port, Path dir, List<String> extraArgs, String password)
            throws IOException {
        Files.createDirectories(dir);
        RedisProcess p = new RedisProcess(binary, port == 0 ? freePort() : port, dir, extraArgs, password);
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

    /** The URL clients connect with; it holds the password, if any: never log it (RedisSettings#describe hides it). */
    public String url() {
        return password == null ? "redis://127.0.0.1:" + port
                : "redis://default:" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@127.0.0.1:" + port;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    private void launch() throws IOException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString()));
        if (password != null) {
            cmd.add(authConfig().toAbsolutePath().toString());
        }
        cmd.addAll(List.of(
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
                "--logfile", "redis.log",
                "--pidfile", dir.resolve(PID_FILE).toAbsolutePath().toString(),
                "--auto-aof-rewrite-percentage", "100",
                "--auto-aof-rewrite-min-size", AOF_REWRITE_MIN_SIZE));
        cmd.addAll(extraArgs);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.out").toFile()).start();
        awaitPong(Duration.ofSeconds(20));
    }

    /** The config file that sets the password, readable by this user alone. */
    private Path authConfig() throws IOException {
        Path file = dir.resolve(CONFIG_FILE);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        // a generated password; quoted all the same, as redis.conf reads it
        Files.writeString(file, "requirepass \"" + password.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n");
        return file;
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
                if (password != null) {
                    out.write(resp("AUTH", "default", password));
                }
                out.write(resp("PING"));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[256];
                StringBuilder answer = new StringBuilder();
                // until the PONG, or an error (LOADING, a wrong password): then try again
                for (int n; answer.indexOf("+PONG") < 0 && answer.indexOf("-") < 0 && (n = in.read(buf)) > 0; ) {
                    answer.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
                if (answer.toString().contains("+PONG")) {
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

    /** A command in RESP, as a client sends it. */
    private static byte[] resp(String... words) {
        StringBuilder b = new StringBuilder("*").append(words.length).append("\r\n");
        for (String w : words) {
            byte[] bytes = w.getBytes(StandardCharsets.UTF_8);
            b.append('$').append(bytes.length).append("\r\n").append(w).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The pid of the running server, or -1. */
    public long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
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

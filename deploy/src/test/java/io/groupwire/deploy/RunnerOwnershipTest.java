package io.groupwire.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.redis.RedisProcess;
import io.groupwire.core.testing.RedisServers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The all-in-one runner owns its data directory and its embedded Redis (issue 12): a killed
 * runner's orphaned Redis is stopped by the next runner, knowingly; a port taken by another
 * program, a foreign Redis included, is a start-up error naming the port and the variable, before
 * anything starts; the runner listens on loopback, its Redis wants a password, its data is private.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RunnerOwnershipTest {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Path dir;
    int[] ports;
    Map<String, String> env;

    @BeforeEach
    void fresh() throws IOException {
        dir = Files.createTempDirectory("groupwire-runner");
        ports = ReadmeSessionTest.freePorts(7);
        env = new HashMap<>(Map.of(
                "GROUPWIRE_HTTP_PORT", Integer.toString(ports[0]),
                "GROUPWIRE_TRANSPORT_PORT", Integer.toString(ports[1]),
                "GROUPWIRE_PACER_PORT", Integer.toString(ports[2]),
                "GROUPWIRE_SANDBOX_PORT", Integer.toString(ports[3]),
                "GROUPWIRE_SANDBOX_APNS_PORT", Integer.toString(ports[4]),
                "GROUPWIRE_EMBEDDED_REDIS_PORT", Integer.toString(ports[5]),
                "GROUPWIRE_EVENTS_PORT", Integer.toString(ports[6])));
    }

    @AfterEach
    void cleanUp() throws IOException {
        // whatever a failed test left running in this directory
        Path pidFile = dir.resolve("groupwire-data/redis/" + RedisProcess.PID_FILE);
        if (Files.exists(pidFile)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).ifPresent(ProcessHandle::destroyForcibly);
        }
        ReadmeSessionTest.deleteTree(dir);
    }

    long redisPid() throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("groupwire-data/redis/" + RedisProcess.PID_FILE)).trim());
    }

    String admin() throws IOException {
        return Files.readString(dir.resolve("groupwire-data/admin-token")).strip();
    }

    HttpResponse<String> post(String path, String token, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[0] + path))
                .header("authorization", "Bearer " + token).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theNextRunnerStopsAKilledRunnersRedisKnowinglyAndKeepsItsData() throws Exception {
        String token;
        long orphan;
        ReadmeSessionTest.RunningPlatform first = ReadmeSessionTest.RunningPlatform.start(dir, env);
        try {
            HttpResponse<String> created = post("/v1/users", admin(), "{\"name\":\"Alice\"}");
            assertEquals(201, created.statusCode(), created.body());
            token = ReadmeSessionTest.field(created.body(), "token");
            orphan = redisPid();
            // kill -9 of the runner alone: its Redis outlives it
            first.handle().destroyForcibly();
            first.handle().onExit().get(30, TimeUnit.SECONDS);
            assertTrue(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false), "the orphan runs on");
        } finally {
            first.close();
        }

        try (ReadmeSessionTest.RunningPlatform second = ReadmeSessionTest.RunningPlatform.start(dir, env)) {
            String log = second.log();
            assertTrue(log.contains("still running (pid " + orphan), log);
            assertTrue(log.contains("stopped the previous run's embedded Redis (pid " + orphan + ")"), log);
            assertFalse(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false), "the orphan is gone");
            assertNotEquals(orphan, redisPid(), "a Redis of the runner's own");
            // the AOF was kept: the user created before the kill still authenticates
            HttpResponse<String> group = post("/v1/groups", token, "{\"name\":\"after the restart\"}");
            assertEquals(201, group.statusCode(), group.body());
        }
    }

    @Test
    void aForeignRedisOnThePortStopsTheRunnerWithThePortAndTheVariableAndIsNotUsed() throws Exception {
        try (RedisProcess foreign = RedisServers.start(ports[5], Files.createTempDirectory("foreign-redis"), List.of())) {
            Exit exit = runToExit();
            assertNotEquals(0, exit.code(), exit.log());
            assertTrue(exit.log().contains("port " + ports[5]), exit.log());
            assertTrue(exit.log().contains("GROUPWIRE_EMBEDDED_REDIS_PORT"), exit.log());
            assertTrue(exit.log().contains("GROUPWIRE_REDIS_URL"), exit.log());
            assertEquals("0", command(foreign.port(), null, "DBSIZE").replaceAll("[^0-9]", ""), "nothing written to it");
        }
    }

    @Test
    void everyPortIsCheckedBeforeAnythingStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.setReuseAddress(true);
            taken.bind(new InetSocketAddress("127.0.0.1", ports[2]));
            Exit exit = runToExit();
            assertNotEquals(0, exit.code(), exit.log());
            assertTrue(exit.log().contains("port " + ports[2]) && exit.log().contains("GROUPWIRE_PACER_PORT"), exit.log());
            assertFalse(Files.exists(dir.resolve("groupwire-data/redis/" + RedisProcess.PID_FILE)), "no Redis was started");
        }
    }

    @Test
    void theRunnerListensOnLoopbackItsRedisWantsAPasswordAndItsDataIsPrivate() throws Exception {
        try (ReadmeSessionTest.RunningPlatform running = ReadmeSessionTest.RunningPlatform.start(dir, env)) {
            Path data = dir.resolve("groupwire-data");
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("redis"))));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("redis-password"))));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("admin-token"))));
            String password = Files.readString(data.resolve("redis-password")).strip();
            assertTrue(command(ports[5], null, "PING").startsWith("-NOAUTH"), "no password, no Redis");
            assertTrue(command(ports[5], password, "PING").contains("+PONG"));
            String log = running.log();
            assertFalse(log.contains(password), "the password is never logged");
            assertFalse(log.contains(admin()), "nor the admin token");

            InetAddress outside = nonLoopbackAddress();
            if (outside != null) {
                for (int port : new int[] {ports[0], ports[1], ports[2], ports[3], ports[5]}) {
                    assertFalse(reachable(outside.getHostAddress(), port), "port " + port + " answers from outside");
                }
            }
            assertTrue(reachable("127.0.0.1", ports[0]));
        }
    }

    static InetAddress nonLoopbackAddress() throws IOException {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nif.isUp() && !nif.isLoopback()) {
                for (InetAddress address : Collections.list(nif.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return address;
                    }
                }
            }
        }
        return null;
    }

    record Exit(int code, String log) {
    }

    /** Runs the runner until it gives up (it must, within a minute), with this test's environment. */
    Exit runToExit() throws Exception {
        Path log = dir.resolve("platform.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.groupwire.deploy.Main")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        ReadmeSessionTest.cleanEnvironment(pb);
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("the runner did not give up:\n" + Files.readString(log));
        }
        return new Exit(p.exitValue(), Files.readString(log));
    }

    static boolean reachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** One command to a Redis on loopback, after AUTH when a password is given; the raw answer. */
    static String command(int port, String password, String command) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            if (password != null) {
                out.write(("AUTH default " + password + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[512];
            StringBuilder answer = new StringBuilder();
            int lines = password == null ? 1 : 2;
            while (answer.chars().filter(c -> c == '\n').count() < lines) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                answer.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            String text = answer.toString();
            return password == null ? text : text.substring(text.indexOf('\n') + 1);
        }
    }
}

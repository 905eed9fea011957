package io.groupwire.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps the README's curl session true: starts the all-in-one runner as a user would (its own
 * process, its own embedded Redis, a fresh working directory where it writes
 * {@code groupwire-data/admin-token}), runs the README's session blocks with bash in that directory,
 * and compares what they print with the answers the README shows, ids, tokens and times aside.
 *
 * <p>The blocks are the fenced {@code sh} blocks right after a {@code <!-- readme-session -->} line,
 * run together as one script; the answers are the {@code text} blocks right after a
 * {@code <!-- readme-session-output -->} line. The platform runs on free ports that the session
 * reaches through its {@code GW} and {@code SANDBOX} variables, whose defaults are the ports a
 * reader's platform listens on.
 */
class ReadmeSessionTest {
    static final String SESSION_MARK = "<!-- readme-session -->";
    static final String OUTPUT_MARK = "<!-- readme-session-output -->";
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(90);

    /** What differs from run to run, each with what it stands for, applied in this order. */
    private static final List<Map.Entry<Pattern, String>> VARYING = List.of(
            Map.entry(Pattern.compile("\"token\":\"[A-Za-z0-9_-]{43}\""), "\"token\":\"<api token>\""),
            Map.entry(Pattern.compile("(?<![A-Za-z0-9_-])([ugd])_[A-Za-z0-9_-]{16}(?![A-Za-z0-9_-])"), "$1_<id>"),
            Map.entry(Pattern.compile("(?<![0-9a-f])[0-9a-f]{28}(?![0-9a-f])"), "<message id>"),
            Map.entry(Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z"), "<time>"),
            Map.entry(Pattern.compile("\"received_at_millis\":\\d+"), "\"received_at_millis\":<time>"));

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void theReadmeSessionPrintsWhatTheReadmeShows() throws Exception {
        List<String> readme = Files.readAllLines(readme(), StandardCharsets.UTF_8);
        String session = String.join("\n", blocks(readme, SESSION_MARK, "sh")) + "\n";
        List<String> expected = lines(blocks(readme, OUTPUT_MARK, "text"));
        assertFalse(session.isBlank(), "the README has no block marked " + SESSION_MARK);
        assertFalse(expected.isEmpty(), "the README has no block marked " + OUTPUT_MARK);
        // the session is for a reader's shell; a developer's machine without one cannot play the reader,
        // but CI installs them (.ci/run), so there a missing tool fails the test instead of skipping it
        boolean tools = available("/bin/bash", "--version") && available("curl", "--version") && available("sed", "--version");
        if (System.getenv("CI") != null) {
            assertTrue(tools, "bash, curl and sed are needed to run the README's session; .ci/run installs them");
        }
        assumeTrue(tools, "bash, curl and sed are needed to run the README's session");

        Path dir = Files.createTempDirectory("groupwire-readme");
        int[] ports = freePorts(8);
        Map<String, String> env = new HashMap<>();
        env.put("GROUPWIRE_HTTP_HOST", "127.0.0.1");
        env.put("GROUPWIRE_HTTP_PORT", Integer.toString(ports[0]));
        env.put("GROUPWIRE_TRANSPORT_HOST", "127.0.0.1");
        env.put("GROUPWIRE_TRANSPORT_PORT", Integer.toString(ports[1]));
        env.put("GROUPWIRE_PACER_HOST", "127.0.0.1");
        env.put("GROUPWIRE_PACER_PORT", Integer.toString(ports[2]));
        env.put("GROUPWIRE_SANDBOX_PORT", Integer.toString(ports[3]));
        env.put("GROUPWIRE_SANDBOX_APNS_PORT", Integer.toString(ports[4]));
        env.put("GROUPWIRE_EMBEDDED_REDIS_PORT", Integer.toString(ports[5]));
        env.put("GROUPWIRE_CONSOLE_PORT", Integer.toString(ports[6]));
        env.put("GROUPWIRE_EVENTS_PORT", Integer.toString(ports[7]));

        try (RunningPlatform platform = RunningPlatform.start(dir, env)) {
            Map<String, String> shell = new HashMap<>();
            shell.put("GW", "http://127.0.0.1:" + ports[0]);
            shell.put("SANDBOX", "http://127.0.0.1:" + ports[3]);
            Path script = dir.resolve("readme-session.sh");
            Files.writeString(script, session);
            Run run = bash(script, dir, shell);
            String context = "\n--- session stdout ---\n" + run.out + "\n--- session stderr ---\n" + run.err
                    + "\n--- platform log (tail) ---\n" + platform.logTail();
            assertEquals(0, run.exitCode, "the session failed" + context);

            List<String> actual = lines(List.of(run.out));
            assertEquals(normalize(expected), normalize(actual), "the session printed other answers than the README shows" + context);

            // what normalising hides: the retry is answered with the first message, and that message reached APNs
            List<String> sends = actual.stream().filter(l -> l.contains("\"accepted_at\"")).toList();
            assertEquals(2, sends.size(), context);
            assertEquals(sends.get(0), sends.get(1), "a retried source_guid must get the first answer" + context);
            assertEquals(field(sends.get(0), "id"), field(only(actual, "\"channel\":\"apns\""), "message_id"), context);
            assertTrue(only(actual, "\"channel\":\"sms\"").contains("\"payload\":\"Alice: Gym at 6?\""), context);
        } finally {
            deleteTree(dir);
        }
    }

    static String only(List<String> lines, String containing) {
        List<String> found = lines.stream().filter(l -> l.contains(containing)).toList();
        assertEquals(1, found.size(), "lines with " + containing + ": " + found);
        return found.get(0);
    }

    static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** README.md of the repository: tests run in the module's directory, one level below. */
    static Path readme() {
        Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("README.md")) && Files.exists(p.resolve("deploy"))) {
                return p.resolve("README.md");
            }
        }
        throw new IllegalStateException("no README.md above " + here);
    }

    /** The bodies of the fenced blocks of {@code language} that directly follow a {@code mark} line. */
    static List<String> blocks(List<String> lines, String mark, String language) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).trim().equals(mark)) {
                continue;
            }
            if (i + 1 >= lines.size() || !lines.get(i + 1).trim().equals("```" + language)) {
                throw new IllegalStateException("line " + (i + 2) + " of README.md: " + mark
                        + " must be followed by a ```" + language + " block");
            }
            StringBuilder body = new StringBuilder();
            int j = i + 2;
            for (; j < lines.size() && !lines.get(j).trim().equals("```"); j++) {
                body.append(lines.get(j)).append('\n');
            }
            if (j == lines.size()) {
                throw new IllegalStateException("README.md: the block after line " + (i + 1) + " is never closed");
            }
            found.add(body.toString());
            i = j;
        }
        return found;
    }

    static List<String> lines(List<String> texts) {
        List<String> out = new ArrayList<>();
        for (String text : texts) {
            for (String line : text.split("\n", -1)) {
                if (!line.isBlank()) {
                    out.add(line.strip());
                }
            }
        }
        return out;
    }

    static List<String> normalize(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            for (Map.Entry<Pattern, String> v : VARYING) {
                line = v.getKey().matcher(line).replaceAll(v.getValue());
            }
            out.add(line);
        }
        return out;
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        assertTrue(m.find(), "no " + name + " in " + json);
        return m.group(1);
    }

    static int[] freePorts(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        int[] ports = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
        return ports;
    }

    record Run(int exitCode, String out, String err) {
    }

    /** Runs {@code script} as the README's reader would, with bash, failing on the first error. */
    static Run bash(Path script, Path dir, Map<String, String> vars) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", "-euo", "pipefail", script.toString()).directory(dir.toFile())
                .redirectOutput(dir.resolve("session.out").toFile()).redirectError(dir.resolve("session.err").toFile());
        cleanEnvironment(pb);
        pb.environment().putAll(vars);
        Process p = pb.start();
        if (!p.waitFor(SESSION_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            return new Run(-1, read(dir.resolve("session.out")), read(dir.resolve("session.err")) + "\n(timed out)");
        }
        return new Run(p.exitValue(), read(dir.resolve("session.out")), read(dir.resolve("session.err")));
    }

    /** Only what the test sets: a reader's or CI's GROUPWIRE_* and session variables must not leak in. */
    static void cleanEnvironment(ProcessBuilder pb) {
        pb.environment().keySet().removeIf(k -> k.startsWith("GROUPWIRE_") && !k.equals("GROUPWIRE_REDIS_SERVER")
                || k.equals("GW") || k.equals("SANDBOX"));
    }

    static boolean available(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    /**
     * {@code java io.groupwire.deploy.Main} from the test classpath in {@code dir}: what
     * {@code java -jar deploy/target/groupwire.jar} runs, before the jar exists.
     */
    static final class RunningPlatform implements AutoCloseable {
        private final Process process;
        private final Path log;

        private RunningPlatform(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        static RunningPlatform start(Path dir, Map<String, String> env) throws Exception {
            Path log = dir.resolve("platform.log");
            ProcessBuilder pb = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"),
                    "io.groupwire.deploy.Main")
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            cleanEnvironment(pb);
            pb.environment().putAll(env);
            RunningPlatform platform = new RunningPlatform(pb.start(), log);
            platform.awaitRunning();
            return platform;
        }

        private void awaitRunning() throws Exception {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!read(log).contains("Groupwire is running.")) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    String why = process.isAlive() ? "did not start in " + START_TIMEOUT : "exited with " + process.exitValue();
                    close();
                    throw new AssertionError("the platform " + why + ":\n" + read(log));
                }
                Thread.sleep(100);
            }
        }

        /** The runner's own process (its children, such as its embedded Redis, are not in it). */
        ProcessHandle handle() {
            return process.toHandle();
        }

        /** The whole log so far. */
        String log() throws IOException {
            return read(log);
        }

        String logTail() throws IOException {
            String text = read(log);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        }

        /** SIGTERM, so that the runner stops its embedded Redis; then anything it left behind. */
        @Override
        public void close() throws Exception {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            if (!process.waitFor(45, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                if (child.isAlive()) {
                    child.destroyForcibly();
                }
            }
        }
    }
}

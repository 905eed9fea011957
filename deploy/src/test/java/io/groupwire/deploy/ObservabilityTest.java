package io.groupwire.deploy;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.groupwire.console.ConsoleConfig;
import io.groupwire.console.ConsoleService;
import io.groupwire.core.testing.TestRedis;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/observability against the real tools (Debian's {@code prometheus} package): the alert rules'
 * unit tests under {@code promtool test rules}, and a real Prometheus scraping a running platform on
 * loopback, where every alert's query and every dashboard panel's query must return data. Skipped
 * without the tools on a developer's machine; in CI ({@code CI} set), where .ci/run installs them, it fails.
 */
class ObservabilityTest {
    private static final Path DIR = Path.of("observability");
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

    @Test
    void theAlertRulesPassTheirUnitTests() throws Exception {
        tools(PROMTOOL);
        Process p = new ProcessBuilder(PROMTOOL.toString(), "test", "rules", "groupwire-rules.test.yml")
                .directory(DIR.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }

    @Test
    void aRealPrometheusGetsDataForEveryAlertAndPanel() throws Exception {
        tools(PROMETHEUS);
        Redis redis = TestRedis.client(io.vertx.core.Vertx.vertx());
        TestRedis.flushAll(redis);
        // the memory alert divides by maxmemory: give the test Redis one for the while
        await(redis.send(Request.cmd(Command.CONFIG).arg("SET").arg("maxmemory").arg("1gb")));
        Path data = Files.createTempDirectory("groupwire-prometheus");
        Process prometheus = null;
        try (Platform platform = new Platform(Map.of())) {
            ConsoleService console = await(ConsoleService.start(platform.vertx, new ConsoleConfig(TestRedis.settings(16),
                    "127.0.0.1", 0, "observability-operator-token", Duration.ofHours(1), Duration.ofSeconds(60))));
            WebClient http = WebClient.create(platform.vertx);
            try {
                int port = freePort();
                Files.copy(DIR.resolve("groupwire-rules.yml"), data.resolve("groupwire-rules.yml"));
                Files.writeString(data.resolve("prometheus.yml"), config(Map.of(
                        "groupwire-gateway", platform.gateway.port(), "groupwire-transport", platform.transport.port(),
                        "groupwire-pacer", platform.pacer.port(), "groupwire-console", console.port())));
                prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + data.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + data.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                        .redirectErrorStream(true).redirectOutput(data.resolve("prometheus.log").toFile()).start();
                traffic(platform, http);
                List<String> queries = new ArrayList<>();
                for (String rule : expressions(Files.readString(DIR.resolve("groupwire-rules.yml")))) {
                    queries.add(withoutThreshold(rule));
                }
                JsonObject dashboard = new JsonObject(Files.readString(DIR.resolve("grafana/dashboards/groupwire.json")));
                for (Object p : dashboard.getJsonArray("panels")) {
                    for (Object t : ((JsonObject) p).getJsonArray("targets")) {
                        queries.add(((JsonObject) t).getString("expr"));
                    }
                }
                // every query, once Prometheus has scraped enough for the rates
                List<String> empty = new ArrayList<>();
                long deadline = System.currentTimeMillis() + 30_000;
                do {
                    Thread.sleep(1_000);
                    empty.clear();
                    for (String q : queries) {
                        if (!answers(http, port, q)) {
                            empty.add(q);
                        }
                    }
                } while (!empty.isEmpty() && System.currentTimeMillis() < deadline);
                assertTrue(empty.isEmpty(), "no data for " + empty + "; Prometheus said:\n"
                        + Files.readString(data.resolve("prometheus.log")));
                assertTrue(queries.size() >= 10 + 12, queries.toString());
            } finally {
                http.close();
                await(console.stop());
            }
        } finally {
            if (prometheus != null) {
                prometheus.destroy();
                prometheus.waitFor(10, TimeUnit.SECONDS);
            }
            await(redis.send(Request.cmd(Command.CONFIG).arg("SET").arg("maxmemory").arg("0")));
            redis.close();
        }
    }

    /** A user, a group and a few messages to each channel, so that the latency histograms have values. */
    private static void traffic(Platform platform, WebClient http) {
        JsonObject alice = post(http, platform.gateway.port(), "/v1/users", Platform.ADMIN, new JsonObject().put("name", "A"));
        JsonObject bob = post(http, platform.gateway.port(), "/v1/users", Platform.ADMIN, new JsonObject().put("name", "B"));
        JsonObject carol = post(http, platform.gateway.port(), "/v1/users", Platform.ADMIN,
                new JsonObject().put("name", "C").put("phone", "+15550000007"));
        post(http, platform.gateway.port(), "/v1/devices", bob.getString("token"),
                new JsonObject().put("platform", "apns").put("token", EndToEndTest.APNS_BOB));
        String gid = post(http, platform.gateway.port(), "/v1/groups", alice.getString("token"), new JsonObject().put("name", "G")
                .put("members", new JsonArray(List.of(bob.getString("id"), carol.getString("id"))))).getString("id");
        for (int i = 0; i < 20; i++) {
            post(http, platform.gateway.port(), "/v1/groups/" + gid + "/messages", alice.getString("token"),
                    new JsonObject().put("source_guid", "o-" + i).put("text", "hi " + i));
        }
    }

    private static JsonObject post(WebClient http, int port, String path, String token, JsonObject body) {
        HttpResponse<io.vertx.core.buffer.Buffer> r = await(http.post(port, "127.0.0.1", path)
                .putHeader("authorization", "Bearer " + token).sendJsonObject(body));
        assertTrue(r.statusCode() / 100 == 2, path + ": " + r.statusCode() + " " + r.bodyAsString());
        return r.bodyAsJsonObject();
    }

    private static boolean answers(WebClient http, int port, String query) {
        try {
            HttpResponse<io.vertx.core.buffer.Buffer> r = await(http.get(port, "127.0.0.1", "/api/v1/query")
                    .addQueryParam("query", query).send());
            if (r.statusCode() != 200) {
                return false;
            }
            JsonObject body = r.bodyAsJsonObject();
            return "success".equals(body.getString("status")) && !body.getJsonObject("data").getJsonArray("result").isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The rules' expressions: each on one line after {@code expr:}. */
    static List<String> expressions(String rules) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s+expr:\\s*(.+)$").matcher(rules);
        while (m.find()) {
            out.add(m.group(1).trim());
        }
        return out;
    }

    /** A rule written {@code <query> <comparison> <threshold>} without its comparison: what it measures. */
    static String withoutThreshold(String expr) {
        Matcher m = Pattern.compile("^(.*)\\s(>|<|==|!=|>=|<=)\\s*[0-9.]+$").matcher(expr);
        assertTrue(m.matches(), "not written as <query> <comparison> <threshold>: " + expr);
        return m.group(1).trim();
    }

    private static String config(Map<String, Integer> jobs) {
        StringBuilder b = new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                + "rule_files:\n  - groupwire-rules.yml\nscrape_configs:\n");
        jobs.forEach((job, port) -> b.append("  - job_name: ").append(job).append("\n    static_configs:\n      - targets: ['127.0.0.1:")
                .append(port).append("']\n"));
        return b.toString();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void tools(Path tool) {
        boolean present = Files.isExecutable(tool);
        if (System.getenv("CI") != null) {
            assertTrue(present, tool + " is needed; .ci/run installs Debian's prometheus package");
        }
        assumeTrue(present, tool + " is not installed (Debian: prometheus)");
    }
}

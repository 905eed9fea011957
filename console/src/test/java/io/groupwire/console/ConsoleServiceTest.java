package io.groupwire.console;

import static io.groupwire.core.testing.Eventually.eventually;
import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.json.Json;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.metrics.ServiceMetrics;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.report.InstanceReporter;
import io.groupwire.core.testing.RedisTestBase;
import io.groupwire.core.testing.TestRedis;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConsoleServiceTest extends RedisTestBase {
    private static final String TOKEN = "operator-token-for-tests-0123456789";
    private ConsoleService console;
    private WebClient http;
    private final List<InstanceReporter> reporters = new ArrayList<>();
    private String session;
    private String csrf;

    @BeforeEach
    void start() {
        console = await(ConsoleService.start(vertx, new ConsoleConfig(TestRedis.settings(4), "127.0.0.1", 0, TOKEN,
                Duration.ofHours(1), Duration.ofSeconds(60))));
        http = WebClient.create(vertx);
    }

    @AfterEach
    void stop() {
        reporters.forEach(r -> await(r.stop()));
        http.close();
        await(console.stop());
    }

    @Test
    void theApiNeedsALoginWhoseCookieIsSecureHttpOnlyAndStrict() {
        assertEquals(401, get("/api/snapshot").statusCode());
        HttpResponse<Buffer> page = get("/static/login.html");
        assertEquals(200, page.statusCode());
        cookies(page);
        assertEquals(401, post("/login", new JsonObject().put("token", "wrong-token-wrong-token")).statusCode());
        HttpResponse<Buffer> ok = post("/login", new JsonObject().put("token", TOKEN));
        assertEquals(204, ok.statusCode());
        String set = ok.cookies().stream().filter(c -> c.startsWith("groupwire_console=")).findFirst().orElseThrow();
        assertTrue(set.contains("Secure"), set);
        assertTrue(set.toLowerCase().contains("httponly"), set);
        assertTrue(set.contains("SameSite=Strict"), set);
        cookies(ok);
        assertEquals(200, get("/api/snapshot").statusCode());
        // a state-changing call without the CSRF header is refused even with the session
        HttpResponse<Buffer> forged = await(http.post(console.port(), "127.0.0.1", "/api/deadletters/apns/replay")
                .putHeader("cookie", "groupwire_console=" + session).sendJsonObject(new JsonObject().put("all", true)));
        assertEquals(403, forged.statusCode());
        String csp = page.getHeader("content-security-policy");
        assertTrue(csp.contains("default-src 'self'"), csp);
        assertFalse(get("/static/login.html").bodyAsString().contains(TOKEN));
    }

    @Test
    void twoTransportsAndTwoPacersAreFourInstancesWithTheirShards() throws Exception {
        login();
        for (String id : List.of("t-1", "t-2")) {
            reporters.add(await(vertx.getOrCreateContext().<InstanceReporter>executeBlocking(() -> InstanceReporter.start(vertx, redis,
                    "transport", id, ServiceMetrics.create("transport"), List::of))));
        }
        for (String id : List.of("p-1", "p-2")) {
            reporters.add(InstanceReporter.start(vertx, redis, "pacer", id, ServiceMetrics.create("pacer"), List::of));
        }
        // a lease of shard 2's mailbox held by t-1, about to lapse
        await(redis.send(Request.cmd(Command.SET).arg(Keys.mailbox(2).lease()).arg("t-1").arg("PX").arg(2000)));
        eventually(Duration.ofSeconds(6), () -> get("/api/snapshot").bodyAsJsonObject().getJsonArray("instances", new JsonArray()).size() == 4);
        JsonObject snapshot = get("/api/snapshot").bodyAsJsonObject();
        List<String> members = snapshot.getJsonArray("instances").stream().map(o -> ((JsonObject) o).getString("member")).sorted().toList();
        assertEquals(List.of("pacer:p-1", "pacer:p-2", "transport:t-1", "transport:t-2"), members);
        JsonObject t1 = snapshot.getJsonArray("instances").stream().map(o -> (JsonObject) o)
                .filter(o -> o.getString("id").equals("t-1")).findFirst().orElseThrow();
        assertEquals(new JsonArray().add("mailbox/2"), t1.getJsonArray("owned"));
        assertTrue(t1.getBoolean("lapsing"));
        assertEquals(4 * 4, snapshot.getJsonArray("queues").size());
    }

    @Test
    void tracesAMessageWithMaskedAddressesAndSaysWhenItsLedgerIsGone() {
        login();
        String ledger = Keys.ledger(3, "m-42");
        await(redis.send(Request.cmd(Command.HSET).arg(ledger).arg("_m").arg("[\"g-1\",\"u-1\",\"1700000000000\"]")
                .arg("d-1").arg("sent").arg("i:d-1").arg("[\"sms\",\"+44•••••••89\",\"u-2\"]")
                .arg("d-2").arg("sending:p-1:1700000001000").arg("i:d-2").arg("[\"apns\",\"abcd…wxyz\",\"u-3\"]")
                .arg("_open").arg("1")));
        JsonObject t = get("/api/trace/m-42").bodyAsJsonObject();
        assertTrue(t.getBoolean("found"));
        assertEquals("g-1", t.getString("groupId"));
        JsonArray d = t.getJsonArray("deliveries");
        assertEquals(2, d.size());
        assertEquals("sending", d.getJsonObject(0).getString("state"));
        assertEquals("p-1", d.getJsonObject(0).getString("worker"));
        assertEquals("+44•••••••89", d.getJsonObject(1).getString("address"));
        assertFalse(get("/api/trace/m-43").bodyAsJsonObject().getBoolean("found"));
        assertEquals(400, get("/api/trace/a%20b").statusCode());
    }

    @Test
    void listsInspectsAndReplaysChosenDeadLettersWithoutShowingAddresses() {
        login();
        String phone = "+15550001234";
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Delivery d = Delivery.builder().id("d" + i).messageId("m" + i).groupId("g").senderId("s").recipientId("r" + i)
                    .channel(Channel.SMS).address(phone).text("hello " + i).acceptedAtMillis(1L).attempt(15).build();
            String stored = Json.write(d);
            refs.add(DeadLetterRoutes.ref(stored));
            await(redis.send(Request.cmd(Command.LPUSH).arg(Keys.deadLetters(1, Channel.SMS)).arg(stored)));
        }
        HttpResponse<Buffer> list = get("/api/deadletters/sms?offset=0&limit=2");
        assertFalse(list.bodyAsString().contains(phone));
        JsonObject page = list.bodyAsJsonObject();
        assertEquals(3, page.getLong("total"));
        assertEquals(2, page.getJsonArray("entries").size());
        assertEquals("+15•••••••34", page.getJsonArray("entries").getJsonObject(0).getString("address"));
        HttpResponse<Buffer> one = get("/api/deadletters/sms/1/" + refs.get(0));
        assertEquals("hello 0", one.bodyAsJsonObject().getString("text"));
        assertFalse(one.bodyAsString().contains(phone));

        JsonObject chosen = new JsonObject().put("items", new JsonArray().add(new JsonObject().put("shard", 1).put("ref", refs.get(1))));
        assertEquals(1, post("/api/deadletters/sms/replay", chosen).bodyAsJsonObject().getInteger("replayed"));
        assertEquals(2, get("/api/deadletters/sms").bodyAsJsonObject().getLong("total"));
        assertEquals(2, post("/api/deadletters/sms/replay", new JsonObject().put("all", true)).bodyAsJsonObject().getInteger("replayed"));
        assertEquals(0, get("/api/deadletters/sms").bodyAsJsonObject().getLong("total"));
        assertEquals(3L, await(redis.send(Request.cmd(Command.LLEN).arg(Keys.outbox(1, Channel.SMS).queue()))).toLong());
    }

    private void login() {
        cookies(get("/static/login.html"));
        HttpResponse<Buffer> ok = post("/login", new JsonObject().put("token", TOKEN));
        assertEquals(204, ok.statusCode());
        cookies(ok);
    }

    /** Keeps the session and CSRF cookies (a client of plain HTTP would not send Secure ones by itself). */
    private void cookies(HttpResponse<Buffer> r) {
        for (String c : r.cookies()) {
            Matcher m = Pattern.compile("^([^=]+)=([^;]*)").matcher(c);
            if (m.find()) {
                if (m.group(1).equals("groupwire_console")) {
                    session = m.group(2);
                } else if (m.group(1).equals("XSRF-TOKEN")) {
                    csrf = m.group(2);
                }
            }
        }
    }

    private String cookieHeader() {
        List<String> parts = new ArrayList<>();
        if (session != null) {
            parts.add("groupwire_console=" + session);
        }
        if (csrf != null) {
            parts.add("XSRF-TOKEN=" + csrf);
        }
        return String.join("; ", parts);
    }

    private HttpResponse<Buffer> get(String path) {
        HttpResponse<Buffer> r = await(http.get(console.port(), "127.0.0.1", path).putHeader("cookie", cookieHeader()).send());
        cookies(r);
        return r;
    }

    private HttpResponse<Buffer> post(String path, JsonObject body) {
        HttpResponse<Buffer> r = await(http.post(console.port(), "127.0.0.1", path).putHeader("cookie", cookieHeader())
                .putHeader("x-xsrf-token", csrf == null ? "" : csrf).sendJsonObject(body));
        cookies(r);
        return r;
    }
}

package io.groupwire.deploy;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.groupwire.console.ConsoleConfig;
import io.groupwire.console.ConsoleService;
import io.groupwire.core.message.Channel;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.testing.TestRedis;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium (Debian's chromium and chromedriver, through Selenium)
 * while the platform carries traffic, part of it failing through {@code POST /sandbox/faults}: the
 * operator logs in, live data and latency points arrive, the delivered counts agree with the pacer's
 * {@code /metrics}, a message's trace shows each recipient's delivery, and replaying the dead
 * letters empties their queue. Screenshots go to {@code console/target/}. Without the browser the
 * test is skipped on a developer's machine and fails in CI ({@code CI} set), where {@code .ci/run}
 * installs it.
 */
class ConsoleBrowserTest {
    private static final String OPERATOR = "browser-test-operator-token-42";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Path.of("..", "console", "target");

    private Platform platform;
    private ConsoleService console;
    private WebClient http;
    private WebDriver browser;
    private Path profile;
    private final AtomicBoolean sending = new AtomicBoolean();
    private Thread traffic;

    @BeforeEach
    void start() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (System.getenv("CI") != null) {
            assertTrue(present, "chromium and chromedriver are needed; .ci/run installs them (Debian: chromium chromium-driver)");
        }
        assumeTrue(present, "chromium and chromedriver are not installed (Debian: chromium chromium-driver)");
        Redis redis = TestRedis.client(io.vertx.core.Vertx.vertx());
        TestRedis.flushAll(redis);
        redis.close();
        // failing FCM deliveries become dead letters after two quick attempts
        // settled ledgers kept long enough that the trace below finds its message on a slow machine
        platform = new Platform(Map.of("GROUPWIRE_MAX_ATTEMPTS", "2", "GROUPWIRE_RETRY_BASE", "20ms",
                "GROUPWIRE_RETRY_MAX", "100ms", "GROUPWIRE_SETTLED_LEDGER_TTL", "10m"));
        console = await(ConsoleService.start(platform.vertx, new ConsoleConfig(TestRedis.settings(16), "127.0.0.1", 0,
                OPERATOR, Duration.ofHours(1), Duration.ofSeconds(60))));
        http = WebClient.create(platform.vertx);
        profile = Files.createTempDirectory("groupwire-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1600,1250",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SHOTS);
    }

    @AfterEach
    void stop() throws Exception {
        sending.set(false);
        if (traffic != null) {
            traffic.join(10_000);
        }
        if (browser != null) {
            browser.quit();
        }
        if (console != null) {
            await(console.stop());
        }
        if (http != null) {
            http.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void anOperatorWatchesTracesAndReplaysInTheBrowser() throws Exception {
        JsonObject alice = user("Alice", null);
        JsonObject bob = user("Bob", null);
        JsonObject carol = user("Carol", "+15550000003");
        JsonObject dave = user("Dave", null);
        device(alice, "apns", "aa".repeat(32));
        device(bob, "apns", EndToEndTest.APNS_BOB);
        device(dave, "fcm", EndToEndTest.FCM_DAVE);
        String gid = post(platform.gateway.port(), "/v1/groups", alice.getString("token"), new JsonObject().put("name", "Ops")
                .put("members", new JsonArray(List.of(bob.getString("id"), carol.getString("id"), dave.getString("id")))))
                .getString("id");
        // a third of the FCM sends fail with a 500: retried, some dead-lettered
        assertEquals(200, await(http.post(platform.sandbox.port(), "127.0.0.1", "/sandbox/faults")
                .sendJsonObject(new JsonObject().put("fcm", new JsonObject().put("error_rate", 0.35)))).statusCode());
        List<String> sent = new ArrayList<>();
        long trafficStart = System.nanoTime();
        sending.set(true);
        traffic = new Thread(() -> {
            int i = 0;
            while (sending.get()) {
                String id = post(platform.gateway.port(), "/v1/groups/" + gid + "/messages", alice.getString("token"),
                        new JsonObject().put("source_guid", "b-" + i).put("text", "hello " + i++)).getString("id");
                synchronized (sent) {
                    sent.add(id);
                }
                sleep(40);
            }
        }, "console-test-traffic");
        traffic.start();

        String base = "http://127.0.0.1:" + console.port();
        browser.get(base + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(d -> d.getCurrentUrl().endsWith("/static/login.html"));
        browser.findElement(By.id("token")).sendKeys(OPERATOR);
        browser.findElement(By.id("login-button")).click();
        wait.until(d -> d.findElement(By.id("status")).getText().startsWith("live"));
        JavascriptExecutor js = (JavascriptExecutor) browser;
        // ten seconds of points, so that the screenshot shows a little history
        new WebDriverWait(browser, Duration.ofSeconds(40)).until(d ->
                ((Number) js.executeScript("return window.groupwireConsole.latencyPoints('apns')")).longValue() >= 10);
        wait.until(d -> browser.findElements(By.cssSelector("#instances tr.instance")).size() == 3);
        Thread.sleep(1500);
        shot("console-live.png");
        assertFalse(browser.getPageSource().contains(OPERATOR), "the token is on the page");

        // the console's delivered counts against the pacer's /metrics, once the traffic has stopped
        sending.set(false);
        traffic.join(10_000);
        // one second's worth: the deliveries per second the traffic made (three recipients per message)
        double perSecond;
        synchronized (sent) {
            perSecond = sent.size() * 3 / ((System.nanoTime() - trafficStart) / 1e9);
        }
        TestWait.until(Duration.ofSeconds(30), () -> outboxesEmpty());
        Thread.sleep(2_500);
        long metrics = delivered(scrape(platform.pacer.port()));
        long shown = 0;
        for (Channel c : Channel.values()) {
            shown += Long.parseLong(browser.findElement(By.id("sent-" + c.id())).getText());
        }
        assertTrue(metrics > 0);
        assertTrue(Math.abs(metrics - shown) <= perSecond, "console " + shown + " vs /metrics " + metrics);

        // a message's trace: one delivery per recipient, addresses masked
        String traced;
        synchronized (sent) {
            traced = sent.get(sent.size() - 1);
        }
        browser.findElement(By.cssSelector("nav button[data-tab=trace]")).click();
        browser.findElement(By.id("trace-id")).sendKeys(traced);
        browser.findElement(By.cssSelector("#trace-form button")).click();
        wait.until(d -> d.findElements(By.cssSelector("#trace-deliveries tr.trace-delivery")).size() == 3);
        List<String> channels = browser.findElements(By.cssSelector("#trace-deliveries tr.trace-delivery td:first-child"))
                .stream().map(WebElement::getText).sorted().toList();
        assertEquals(List.of("apns", "fcm", "sms"), channels);
        String page = browser.getPageSource();
        assertFalse(page.contains("+15550000003"), "a full phone number is on the page");
        assertFalse(page.contains(EndToEndTest.APNS_BOB), "a full device token is on the page");
        shot("console-trace.png");

        // the dead letters of FCM, replayed with the confirmation step, leave their queue empty
        assertTrue(deadLetters(Channel.FCM) > 0, "the faults made no dead letter");
        await(http.delete(platform.sandbox.port(), "127.0.0.1", "/sandbox/faults").send());
        browser.findElement(By.cssSelector("nav button[data-tab=dead]")).click();
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("dead-queue"))).selectByVisibleText("fcm");
        wait.until(d -> !d.findElements(By.cssSelector("#dead-list tr.dead-entry")).isEmpty());
        assertFalse(browser.getPageSource().contains(EndToEndTest.FCM_DAVE), "a full device token is on the page");
        shot("console-dead.png");
        browser.findElement(By.id("replay-all")).click();
        wait.until(d -> d.findElement(By.id("replay-confirm")).isDisplayed());
        browser.findElement(By.id("replay-yes")).click();
        wait.until(d -> d.findElement(By.id("replay-result")).getText().endsWith("replayed."));
        assertEquals(0, deadLetters(Channel.FCM));
        wait.until(d -> d.findElements(By.cssSelector("#dead-list tr.dead-entry")).isEmpty());
    }

    private long deadLetters(Channel c) {
        Redis redis = TestRedis.client(platform.vertx);
        try {
            long n = 0;
            for (int s = 0; s < 16; s++) {
                n += await(redis.send(Request.cmd(Command.LLEN).arg(Keys.deadLetters(s, c)))).toLong();
            }
            return n;
        } finally {
            redis.close();
        }
    }

    private boolean outboxesEmpty() {
        Redis redis = TestRedis.client(platform.vertx);
        try {
            for (int s = 0; s < 16; s++) {
                if (await(redis.send(Request.cmd(Command.LLEN).arg(Keys.mailbox(s).queue()))).toLong() > 0) {
                    return false;
                }
                for (Channel c : Channel.values()) {
                    if (await(redis.send(Request.cmd(Command.LLEN).arg(Keys.outbox(s, c).queue()))).toLong() > 0
                            || await(redis.send(Request.cmd(Command.ZCARD).arg(Keys.retry(s, c)))).toLong() > 0
                            || await(redis.send(Request.cmd(Command.LLEN).arg(Keys.outbox(s, c).inflight()))).toLong() > 0) {
                        return false;
                    }
                }
            }
            return true;
        } finally {
            redis.close();
        }
    }

    static long delivered(String metrics) {
        Matcher m = Pattern.compile("(?m)^groupwire_deliveries_delivered_total\\{[^}]*\\} ([0-9.eE+]+)$").matcher(metrics);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return (long) sum;
    }

    private String scrape(int port) {
        return await(http.get(port, "127.0.0.1", "/metrics").send()).bodyAsString();
    }

    private void shot(String name) throws Exception {
        File f = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private JsonObject user(String name, String phone) {
        JsonObject body = new JsonObject().put("name", name);
        if (phone != null) {
            body.put("phone", phone);
        }
        return post(platform.gateway.port(), "/v1/users", Platform.ADMIN, body);
    }

    private void device(JsonObject user, String platformName, String token) {
        post(platform.gateway.port(), "/v1/devices", user.getString("token"),
                new JsonObject().put("platform", platformName).put("token", token));
    }

    private JsonObject post(int port, String path, String token, JsonObject body) {
        HttpResponse<Buffer> r = await(http.post(port, "127.0.0.1", path).putHeader("authorization", "Bearer " + token)
                .sendJsonObject(body));
        assertTrue(r.statusCode() / 100 == 2, path + " answered " + r.statusCode() + " " + r.bodyAsString());
        return r.bodyAsJsonObject();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Polls a condition. */
    private static final class TestWait {
        static void until(Duration within, java.util.function.BooleanSupplier condition) throws InterruptedException {
            io.groupwire.core.testing.Eventually.eventually(within, condition);
        }
    }
}

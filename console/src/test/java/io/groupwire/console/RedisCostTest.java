package io.groupwire.console;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.metrics.MetricNames;
import io.groupwire.core.metrics.ServiceMetrics;
import io.groupwire.core.report.InstanceReporter;
import io.groupwire.core.testing.RedisTestBase;
import io.groupwire.core.testing.TestRedis;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the instance reports and the console's sampler cost Redis, measured with INFO: commands (as
 * commandstats counts them, the commands inside scripts included), the time Redis spent in them,
 * and the bytes in and out. Prints the figures docs/performance.md quotes and keeps them bounded.
 */
class RedisCostTest extends RedisTestBase {
    private static final int SECONDS = 5;

    @Test
    void anInstanceReportCostsOneScriptCallASecond() throws Exception {
        PrometheusMeterRegistry registry = ServiceMetrics.create("pacer");
        Timer[] latency = new Timer[3];
        String[] channels = {"apns", "fcm", "sms"};
        for (int c = 0; c < 3; c++) {
            latency[c] = Timer.builder(MetricNames.DELIVERY_LATENCY).tag("channel", channels[c]).register(registry);
        }
        // a busy pacer: 1,000 deliveries a second per channel, latencies spread over two decades
        Random random = new Random(1);
        long feeder = vertx.setPeriodic(10, t -> {
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 10; i++) {
                    latency[c].record(5 + (long) Math.abs(random.nextGaussian() * 200), TimeUnit.MILLISECONDS);
                    registry.counter(MetricNames.DELIVERIES_DELIVERED, "channel", channels[c]).increment();
                }
            }
        });
        InstanceReporter reporter = InstanceReporter.start(vertx, redis, "pacer", "cost-1", registry, List::of);
        Thread.sleep(1_500);
        Map<String, Double> cost = measure(() -> { });
        vertx.cancelTimer(feeder);
        await(reporter.stop());
        print("one pacer's report", cost);
        assertTrue(cost.get("evalsha calls/s") <= 1.3, cost.toString());
    }

    @Test
    void theConsoleSamplerCostsOneScriptCallPerShardASecond() throws Exception {
        ConsoleService console = await(ConsoleService.start(vertx, new ConsoleConfig(TestRedis.settings(16), "127.0.0.1", 0,
                "cost-test-operator-token", Duration.ofHours(1), Duration.ofSeconds(60))));
        Thread.sleep(1_500);
        Map<String, Double> cost = measure(() -> { });
        await(console.stop());
        print("the console's sampler, 16 shards", cost);
        // one queue_state call per shard and a few report reads, whatever number of pages are open
        assertTrue(cost.get("evalsha calls/s") <= 16 * 1.3, cost.toString());
        assertTrue(cost.get("redis usec/s in scripts") < 5_000, cost.toString());
    }

    private Map<String, Double> measure(Runnable during) throws Exception {
        await(redis.send(Request.cmd(Command.CONFIG).arg("RESETSTAT")));
        Map<String, Double> before = info();
        long start = System.nanoTime();
        during.run();
        Thread.sleep(SECONDS * 1000L);
        Map<String, Double> after = info();
        double s = (System.nanoTime() - start) / 1e9;
        Map<String, Double> out = new TreeMap<>();
        double calls = 0;
        double usec = 0;
        for (Map.Entry<String, Double> e : after.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("calls:") && !k.equals("calls:info") && !k.equals("calls:config")) {
                calls += e.getValue();
                out.put(k.substring(6) + " calls/s", e.getValue() / s);
            }
        }
        // a script's usec include the commands it ran (which commandstats lists again on their own)
        usec = after.getOrDefault("usec:evalsha", 0.0) + after.getOrDefault("usec:eval", 0.0);
        out.put("commands/s (inside scripts too)", calls / s);
        out.put("redis usec/s in scripts", usec / s);
        out.put("bytes in/s", (after.get("total_net_input_bytes") - before.get("total_net_input_bytes")) / s);
        out.put("bytes out/s", (after.get("total_net_output_bytes") - before.get("total_net_output_bytes")) / s);
        out.put("redis cpu ms/s", (after.get("used_cpu_user") + after.get("used_cpu_sys") - before.get("used_cpu_user")
                - before.get("used_cpu_sys")) * 1000 / s);
        return out;
    }

    /** INFO's commandstats (calls and usec per command), net bytes and CPU. */
    private Map<String, Double> info() {
        String text = await(redis.send(Request.cmd(Command.INFO).arg("everything"))).toString();
        Map<String, Double> out = new TreeMap<>();
        Matcher cmd = Pattern.compile("(?m)^cmdstat_([a-z|]+):calls=(\\d+),usec=(\\d+)").matcher(text);
        while (cmd.find()) {
            out.put("calls:" + cmd.group(1), Double.parseDouble(cmd.group(2)));
            out.put("usec:" + cmd.group(1), Double.parseDouble(cmd.group(3)));
        }
        for (String k : List.of("total_net_input_bytes", "total_net_output_bytes", "used_cpu_user", "used_cpu_sys")) {
            Matcher m = Pattern.compile("(?m)^" + k + ":([0-9.]+)").matcher(text);
            out.put(k, m.find() ? Double.parseDouble(m.group(1)) : 0);
        }
        return out;
    }

    private static void print(String what, Map<String, Double> cost) {
        StringBuilder b = new StringBuilder("Redis cost of " + what + " per second:");
        cost.forEach((k, v) -> b.append(String.format("%n  %-28s %10.1f", k, v)));
        System.out.println(b);
    }

}

package io.groupwire.bench;

import io.groupwire.core.config.Env;
import io.groupwire.core.redis.RedisProcess;
import io.groupwire.core.redis.RedisSettings;
import io.groupwire.core.redis.Shards;
import io.groupwire.sandbox.EmbeddedRedis;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code groupwire.jar bench}: measures, in one run against one Redis, the ceiling (Redis alone),
 * the mailbox (core's enqueue, claim and ack) and the whole path, and prints a table and,
 * with {@code --json}, the same figures as JSON.
 */
public final class Bench {
    private final BenchOptions options;
    private final PrintStream out;
    private final Map<String, Object> figures = new LinkedHashMap<>();

    private Bench(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        new Bench(options, System.out).run(Env.system());
        System.exit(0);
    }

    void run(Env env) throws Exception {
        RedisProcess embedded = null;
        String url = env.optional("GROUPWIRE_REDIS_URL");
        if (url == null) {
            embedded = EmbeddedRedis.start(0, Files.createTempDirectory("groupwire-bench-redis"),
                    List.of("--appendonly", "no"));
            // Ctrl-C ends the JVM without running the finally below: the server must not outlive the bench
            Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "bench-redis-stop"));
            url = embedded.url();
        }
        Vertx vertx = Vertx.vertx();
        RedisSettings settings = RedisSettings.single(url, 16);
        Redis redis = Redis.createClient(vertx, settings.toOptions());
        try {
            out.printf("Groupwire bench: %d cores, Java %s, Redis %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), embedded == null ? url : "embedded (AOF off)");
            if (embedded == null) {
                // the bench empties the database between stages: never do that to someone's data
                long keys = BenchSupport.await(redis.send(Request.cmd(Command.DBSIZE)), Duration.ofSeconds(10)).toLong();
                if (keys > 0) {
                    throw new IllegalStateException("GROUPWIRE_REDIS_URL names a Redis that holds " + keys
                            + " keys; the bench needs an empty one (it deletes what it writes)");
                }
            }
            if (options.stages().contains("ceiling")) {
                AtomicLong pairs = new AtomicLong();
                CpuMeter cpu = CpuMeter.start(redis);
                double ceiling = withProgress("ceiling: LPUSH+RPOP pairs", pairs,
                        () -> new CeilingStage(redis, 300).run(options.duration(), pairs));
                figures.put("ceiling_pairs_per_s", round(ceiling));
                figures.put("ceiling_redis_cpu_us_per_pair", cpu.redisMicrosPer(pairs.get()));
            }
            if (options.stages().contains("mailbox")) {
                AtomicLong acked = new AtomicLong();
                CpuMeter cpu = CpuMeter.start(redis);
                MailboxStage.Result r = withProgress("mailbox: enqueue+claim+ack", acked,
                        () -> new MailboxStage(vertx, redis, new Shards(16), 200).run(options.duration(), acked));
                figures.put("mailbox_msgs_per_s", round(r.ackedPerSecond()));
                figures.put("mailbox_enqueue_per_s", round(r.enqueuedPerSecond()));
                figures.put("mailbox_redis_cpu_us_per_msg", cpu.redisMicrosPer(acked.get()));
                figures.put("mailbox_jvm_cpu_us_per_msg", cpu.jvmMicrosPer(acked.get()));
                if (figures.containsKey("ceiling_pairs_per_s")) {
                    figures.put("mailbox_ratio", Math.round(r.ackedPerSecond() / (double) figures.get("ceiling_pairs_per_s") * 1000) / 1000.0);
                }
            }
            if (options.stages().contains("path")) {
                BenchSupport.await(redis.send(Request.cmd(Command.FLUSHDB)), Duration.ofSeconds(30));
                figures.putAll(new PathStage(vertx, redis, url, out, options).run());
            }
            figures.put("cores", Runtime.getRuntime().availableProcessors());
            figures.put("smoke", options.smoke());
            BenchReport.print(out, figures);
            if (options.json() != null) {
                BenchReport.writeJson(options.json(), figures);
                out.println("figures written to " + options.json());
            }
        } finally {
            redis.close();
            vertx.close().toCompletionStage().toCompletableFuture().join();
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private interface Stage<T> {
        T run() throws Exception;
    }

    private <T> T withProgress(String label, AtomicLong counter, Stage<T> stage) throws Exception {
        Progress progress = new Progress(out, label, counter);
        Thread ticker = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(1000);
                    progress.tick();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-progress");
        ticker.setDaemon(true);
        ticker.start();
        try {
            return stage.run();
        } finally {
            ticker.interrupt();
            progress.done();
        }
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}

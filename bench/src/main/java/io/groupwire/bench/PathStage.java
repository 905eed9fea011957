package io.groupwire.bench;

import io.groupwire.core.config.Env;
import io.groupwire.core.config.OwnContext;
import io.groupwire.core.delivery.ProviderClient;
import io.groupwire.core.message.Channel;
import io.groupwire.gateway.GatewayConfig;
import io.groupwire.gateway.GatewayService;
import io.groupwire.pacer.InstantProviderClient;
import io.groupwire.pacer.PacerConfig;
import io.groupwire.pacer.PacerService;
import io.groupwire.transport.TransportConfig;
import io.groupwire.transport.TransportService;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The whole path in one JVM: the gateway over HTTP, the transport, the pacer, and providers inside
 * the pacer that accept at once, so the figures measure Groupwire, not a mock server. Groups have
 * eleven members with one APNs device each, so every message fans out to ten deliveries.
 *
 * <p>Measures: Redis memory per queued message; the closed-loop maximum (as many senders as the
 * HTTP pool allows, sending as fast as answers come); then open-loop runs at fixed fractions of
 * that maximum, where each message has an intended send time and its latency runs from that time
 * to the provider's acceptance of its last delivery (coordinated omission corrected); and a soak
 * at half load watching heap and Redis memory.
 */
final class PathStage {
    static final int FANOUT = 10;
    private static final int GROUPS = 40;
    private static final int CLOSED_LOOP_SENDERS = 128;
    private static final String ADMIN = "bench-admin-" + UUID.randomUUID();

    private final Vertx vertx;
    private final Redis redis;
    private final String redisUrl;
    private final PrintStream out;
    private final BenchOptions options;
    private final DeliveryClock clock = new DeliveryClock(FANOUT);
    private final List<String[]> senders = new ArrayList<>();
    private final List<String[]> smsSenders = new ArrayList<>();
    private final String text = "t".repeat(200);
    private Context load;

    PathStage(Vertx vertx, Redis redis, String redisUrl, PrintStream out, BenchOptions options) {
        this.vertx = vertx;
        this.redis = redis;
        this.redisUrl = redisUrl;
        this.out = out;
        this.options = options;
    }

    Map<String, Object> run() {
        Map<String, Object> figures = new LinkedHashMap<>();
        Env env = new Env(Map.ofEntries(
                Map.entry("GROUPWIRE_REDIS_URL", redisUrl),
                Map.entry("GROUPWIRE_ADMIN_TOKEN", ADMIN),
                Map.entry("GROUPWIRE_HTTP_HOST", "127.0.0.1"),
                // a fixed free port: with port 0 the gateway runs a single server instance
                Map.entry("GROUPWIRE_HTTP_PORT", Integer.toString(freePort())),
                Map.entry("GROUPWIRE_TRANSPORT_HOST", "127.0.0.1"),
                Map.entry("GROUPWIRE_TRANSPORT_PORT", "0"),
                Map.entry("GROUPWIRE_PACER_HOST", "127.0.0.1"),
                Map.entry("GROUPWIRE_PACER_PORT", "0"),
                Map.entry("GROUPWIRE_PACER_CHANNELS", "apns"),
                Map.entry("GROUPWIRE_RATE_APNS", "10000000"),
                Map.entry("GROUPWIRE_BURST_APNS", "10000000"),
                Map.entry("GROUPWIRE_INFLIGHT_APNS", "100000"),
                Map.entry("GROUPWIRE_MAILBOX_HIGH_WATER", "100000000"),
                // limits far above the load, never reached, so that their cost (a bucket per sender
                // and per group in Redis on every send) is in the figures
                Map.entry("GROUPWIRE_LIMIT_SENDS_PER_USER", "1000000000/1s"),
                Map.entry("GROUPWIRE_LIMIT_SENDS_PER_GROUP", "1000000000/1s"),
                Map.entry("GROUPWIRE_LIMIT_GROUPS_PER_USER", "1000000000/1s"),
                Map.entry("GROUPWIRE_LIMIT_MEMBER_ADDS_PER_USER", "1000000000/1s"),
                Map.entry("GROUPWIRE_IDLE_POLL", "2ms")));
        GatewayService gateway = BenchSupport.await(GatewayService.start(vertx, GatewayConfig.fromEnv(env)), Duration.ofSeconds(60));
        ApiClient api = new ApiClient(vertx, gateway.port(), CLOSED_LOOP_SENDERS * 2);
        TransportService transport = null;
        PacerService pacer = null;
        try {
            setUp(api, Channel.APNS, senders);
            setUp(api, Channel.SMS, smsSenders);
            figures.put("redis_bytes_per_queued_msg", bytesPerQueuedMessage(api));
            InstantProviderClient apns = new InstantProviderClient(Channel.APNS, d -> clock.delivered(d.messageId()));
            Map<Channel, ProviderClient> providers = new HashMap<>();
            providers.put(Channel.APNS, apns);
            // each service takes an event-loop thread of its own (OwnContext)
            transport = BenchSupport.await(TransportService.start(vertx, TransportConfig.fromEnv(env)), Duration.ofSeconds(60));
            pacer = BenchSupport.await(PacerService.start(vertx, PacerConfig.fromEnv(env), providers,
                    (d, at) -> Future.succeededFuture(false)), Duration.ofSeconds(60));
            drain(Duration.ofMinutes(2));

            double[] max = closedLoop(api);
            figures.put("path_max_msgs_per_s", Bench.round(max[0]));
            figures.put("path_redis_cpu_us_per_msg", Bench.round(max[3]));
            figures.put("path_jvm_cpu_us_per_msg", Bench.round(max[4]));
            figures.put("path_max_deliveries_per_s", Bench.round(max[1]));
            figures.put("path_accepted_msgs_per_s", Bench.round(max[2]));
            double sustainable = max[0];
            for (int pct : new int[] {25, 50, 75}) {
                Histogram h = openLoop(api, sustainable * pct / 100.0, options.duration(), "open loop " + pct + "%");
                String k = pct == 50 ? "at_half_load" : "at_" + pct + "pct_load";
                figures.put("path_rate_msgs_per_s_" + k, Bench.round(sustainable * pct / 100.0));
                figures.put("path_p50_ms_" + k, ms(h.getValueAtPercentile(50)));
                figures.put("path_p99_ms_" + k, ms(h.getValueAtPercentile(99)));
                figures.put("path_p999_ms_" + k, ms(h.getValueAtPercentile(99.9)));
                figures.put("path_max_ms_" + k, ms(h.getMaxValue()));
            }
            figures.putAll(soak(api, sustainable / 2));
            BenchSupport.await(pacer.stop(), Duration.ofSeconds(30));
            pacer = null;
            figures.putAll(throughRealProvider(api, env, Channel.APNS, senders, Map.of(
                    "GROUPWIRE_APNS_CONNECTIONS", "4", "GROUPWIRE_APNS_MAX_IN_FLIGHT", "20000")));
            figures.putAll(throughRealProvider(api, env, Channel.SMS, smsSenders, Map.of(
                    "GROUPWIRE_PACER_CHANNELS", "sms", "GROUPWIRE_RATE_SMS", "10000000", "GROUPWIRE_BURST_SMS", "10000000",
                    "GROUPWIRE_INFLIGHT_SMS", "512", "GROUPWIRE_TWILIO_MAX_INFLIGHT", "512")));
        } finally {
            if (pacer != null) {
                BenchSupport.await(pacer.stop(), Duration.ofSeconds(30));
            }
            if (transport != null) {
                BenchSupport.await(transport.stop(), Duration.ofSeconds(30));
            }
            BenchSupport.await(gateway.stop(), Duration.ofSeconds(30));
            api.close();
        }
        return figures;
    }

    /**
     * The load generator's own event-loop context: from the main thread it would share one with
     * whatever else the main thread started (Vert.x ties a non-Vert.x thread to a single context).
     */
    private Context load() {
        if (load == null) {
            load = BenchSupport.await(OwnContext.create(vertx), Duration.ofSeconds(10)).context();
        }
        return load;
    }

    /**
     * Groups of {@code FANOUT + 1} users; each member has an APNs device, or (for {@code Channel.SMS})
     * only a phone number, so that every message makes {@code FANOUT} deliveries on that channel.
     */
    private void setUp(ApiClient api, Channel channel, List<String[]> into) {
        for (int g = 0; g < GROUPS; g++) {
            List<Future<JsonObject>> users = new ArrayList<>();
            for (int m = 0; m <= FANOUT; m++) {
                String name = channel.id() + "-u" + g + "-" + m;
                if (channel == Channel.SMS) {
                    users.add(api.createUser(ADMIN, name, String.format("+1555%07d", g * 100 + m)));
                    continue;
                }
                // 32 bytes in hex, like an APNs device token, so that the mock APNs accepts it too
                String device = String.format("%016x%016x%016x%016x", ThreadLocalRandom.current().nextLong(),
                        ThreadLocalRandom.current().nextLong(), ThreadLocalRandom.current().nextLong(),
                        ThreadLocalRandom.current().nextLong());
                users.add(api.createUser(ADMIN, name, null)
                        .compose(u -> api.addDevice(u.getString("token"), "apns", device).map(u)));
            }
            BenchSupport.await(Future.all(users), Duration.ofSeconds(60));
            List<String> ids = users.stream().map(f -> f.result().getString("id")).toList();
            String creatorToken = users.get(0).result().getString("token");
            JsonObject group = BenchSupport.await(api.createGroup(creatorToken, channel.id() + "-bench-" + g,
                    ids.subList(1, ids.size())), Duration.ofSeconds(30));
            into.add(new String[] {creatorToken, group.getString("id")});
        }
    }

    private double bytesPerQueuedMessage(ApiClient api) {
        int n = options.smoke() ? 2_000 : 20_000;
        long before = usedMemory();
        AtomicLong done = new AtomicLong();
        List<Future<Void>> loops = new ArrayList<>();
        for (int c = 0; c < CLOSED_LOOP_SENDERS; c++) {
            Promise<Void> p = Promise.promise();
            int sender = c;
            load().runOnContext(v -> sendUntil(api, senders, sender, () -> done.get() >= n, done, p));
            loops.add(p.future());
        }
        BenchSupport.await(Future.all(loops), Duration.ofMinutes(2));
        return Math.round((usedMemory() - before) / (double) done.get());
    }

    private double[] closedLoop(ApiClient api) {
        AtomicLong accepted = new AtomicLong();
        Progress progress = new Progress(out, "path: closed loop", clock.deliveries);
        long startDeliveries = clock.deliveries.get();
        Map<String, double[]> statsBefore = commandStats();
        CpuMeter cpu = CpuMeter.start(redis);
        long start = System.nanoTime();
        long deadline = start + options.duration().toNanos();
        List<Future<Void>> loops = new ArrayList<>();
        long ticker = vertx.setPeriodic(1000, id -> progress.tick());
        for (int c = 0; c < CLOSED_LOOP_SENDERS; c++) {
            Promise<Void> p = Promise.promise();
            int sender = c;
            load().runOnContext(v -> sendUntil(api, senders, sender, () -> System.nanoTime() >= deadline, accepted, p));
            loops.add(p.future());
        }
        BenchSupport.await(Future.all(loops), options.duration().plusMinutes(2));
        double seconds = (System.nanoTime() - start) / 1e9;
        long deliveredInWindow = clock.deliveries.get() - startDeliveries;
        double redisCpu = cpu.redisSeconds();
        double jvmCpu = cpu.jvmSeconds();
        Map<String, double[]> statsAfter = commandStats();
        vertx.cancelTimer(ticker);
        progress.done();
        double msgs = Math.max(1, deliveredInWindow / (double) FANOUT);
        out.printf("  closed loop: Redis CPU %.0f%% of a core, JVM CPU %.0f%% of a core; per delivered message:"
                        + " Redis %.1f µs, JVM %.1f µs%n", 100 * redisCpu / seconds, 100 * jvmCpu / seconds,
                redisCpu * 1e6 / msgs, jvmCpu * 1e6 / msgs);
        out.println("  Redis commands per delivered message (calls, µs inside Redis):");
        statsAfter.entrySet().stream()
                .map(e -> {
                    double[] b = statsBefore.getOrDefault(e.getKey(), new double[2]);
                    return Map.entry(e.getKey(), new double[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]});
                })
                .filter(e -> e.getValue()[0] > 0)
                .sorted((a, b) -> Double.compare(b.getValue()[1], a.getValue()[1]))
                .limit(12)
                .forEach(e -> out.printf("    %-16s %7.2f calls %7.2f µs%n", e.getKey(), e.getValue()[0] / msgs,
                        e.getValue()[1] / msgs));
        drain(Duration.ofMinutes(3));
        double acceptedPerS = accepted.get() / seconds;
        double deliveriesPerS = deliveredInWindow / seconds;
        // what the whole path sustains: messages whose deliveries were completed within the window
        return new double[] {Math.min(acceptedPerS, deliveriesPerS / FANOUT), deliveriesPerS, acceptedPerS,
                redisCpu * 1e6 / msgs, jvmCpu * 1e6 / msgs};
    }

    /**
     * The same closed loop, but the pacer sends through a real adapter to its peer in the sandbox:
     * APNs through Pushy (TLS, token auth, HTTP/2) to Pushy's mock APNs server, SMS through the
     * Twilio adapter (HTTP, basic auth, segmentation) to the Twilio-style endpoint. What the adapter
     * and a real peer cost, beside the in-JVM providers of the main runs.
     */
    private Map<String, Object> throughRealProvider(ApiClient api, Env env, Channel channel, List<String[]> groupSenders,
                                                    Map<String, String> tuning) {
        Map<String, Object> f = new LinkedHashMap<>();
        io.groupwire.sandbox.SandboxService sandbox = null;
        PacerService pacer = null;
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("groupwire-bench-sandbox");
            Env sandboxEnv = env.with(Map.of("GROUPWIRE_SANDBOX_PORT", "0", "GROUPWIRE_SANDBOX_APNS_PORT", "0",
                    "GROUPWIRE_SANDBOX_KEEP", "100000"));
            sandbox = BenchSupport.await(io.groupwire.sandbox.SandboxService.start(vertx,
                    io.groupwire.sandbox.SandboxConfig.fromEnv(sandboxEnv, dir)), Duration.ofSeconds(60));
            Env real = env.with(sandbox.providerEnv()).with(Map.of("GROUPWIRE_PROVIDERS", "real")).with(tuning);
            pacer = BenchSupport.await(PacerService.start(vertx, PacerConfig.fromEnv(real), real), Duration.ofSeconds(60));
            io.groupwire.sandbox.ReceivedLog received = sandbox.received();
            AtomicLong delivered = new AtomicLong();
            AtomicLong accepted = new AtomicLong();
            long ticker = vertx.setPeriodic(200, id -> delivered.set(received.size() + received.dropped()));
            Progress progress = new Progress(out, "path: closed loop, real " + channel.id(), delivered);
            long progressTicker = vertx.setPeriodic(1000, id -> progress.tick());
            long start = System.nanoTime();
            long deadline = start + options.duration().toNanos();
            List<Future<Void>> loops = new ArrayList<>();
            for (int c = 0; c < CLOSED_LOOP_SENDERS; c++) {
                Promise<Void> p = Promise.promise();
                int sender = c;
                load().runOnContext(v -> sendUntil(api, groupSenders, sender, () -> System.nanoTime() >= deadline, accepted, p));
                loops.add(p.future());
            }
            BenchSupport.await(Future.all(loops), options.duration().plusMinutes(2));
            double seconds = (System.nanoTime() - start) / 1e9;
            long inWindow = received.size() + received.dropped();
            vertx.cancelTimer(ticker);
            vertx.cancelTimer(progressTicker);
            progress.done();
            drain(Duration.ofMinutes(3));
            f.put("path_real_" + channel.id() + "_max_msgs_per_s", Bench.round(Math.min(accepted.get() / seconds, inWindow / seconds / FANOUT)));
            f.put("path_real_" + channel.id() + "_deliveries_per_s", Bench.round(inWindow / seconds));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (pacer != null) {
                BenchSupport.await(pacer.stop(), Duration.ofSeconds(30));
            }
            if (sandbox != null) {
                BenchSupport.await(sandbox.stop(), Duration.ofSeconds(30));
            }
        }
        return f;
    }

    private void sendUntil(ApiClient api, List<String[]> groupSenders, int sender, java.util.function.BooleanSupplier stop,
                           AtomicLong count, Promise<Void> done) {
        if (stop.getAsBoolean()) {
            done.complete();
            return;
        }
        String[] s = groupSenders.get(sender % groupSenders.size());
        long intended = System.nanoTime();
        api.send(s[0], s[1], guid(), text).onComplete(ar -> {
            if (ar.failed()) {
                done.fail(ar.cause());
                return;
            }
            clock.sent(ar.result().getString("id"), intended);
            count.incrementAndGet();
            sendUntil(api, groupSenders, sender, stop, count, done);
        });
    }

    /** Sends at a fixed rate; each message's latency runs from its intended send time. */
    private Histogram openLoop(ApiClient api, double rate, Duration length, String label) {
        clock.clear();
        long start = System.nanoTime();
        long total = Math.max(1, (long) (rate * length.toSeconds()));
        double intervalNanos = 1e9 / rate;
        AtomicLong issued = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Progress progress = new Progress(out, "path: " + label + " (" + Math.round(rate) + "/s)", clock.deliveries);
        Promise<Void> finished = Promise.promise();
        long[] timer = new long[1];
        load().runOnContext(v -> timer[0] = vertx.setPeriodic(1, id -> {
            long now = System.nanoTime();
            while (issued.get() < total && start + (long) (issued.get() * intervalNanos) <= now) {
                long i = issued.getAndIncrement();
                long intended = start + (long) (i * intervalNanos);
                String[] s = senders.get((int) (i % senders.size()));
                api.send(s[0], s[1], guid(), text).onComplete(ar -> {
                    if (ar.succeeded()) {
                        clock.sent(ar.result().getString("id"), intended);
                    } else {
                        failed.incrementAndGet();
                    }
                });
            }
            if (issued.get() >= total) {
                vertx.cancelTimer(timer[0]);
                finished.complete();
            }
        }));
        long ticker = vertx.setPeriodic(1000, id -> progress.tick());
        BenchSupport.await(finished.future(), length.plusMinutes(2));
        drain(Duration.ofMinutes(2));
        vertx.cancelTimer(ticker);
        progress.done();
        Histogram h = clock.latency();
        long missing = clock.incomplete();
        if (missing > 0 || failed.get() > 0) {
            out.printf("  warning: %d messages not fully delivered, %d sends failed%n", missing, failed.get());
        }
        return h;
    }

    /**
     * Half load for the soak's length, sampling about ten times: heap after a full GC, and Redis
     * memory split into the source_guid records (kept for hours by design, so they grow through any
     * soak shorter than that) and everything else (queues, in-flight lists, ledgers, which must stay
     * flat). The bench's own bookkeeping ({@link DeliveryClock}) holds only messages in flight.
     */
    private Map<String, Object> soak(ApiClient api, double rate) {
        Map<String, Object> f = new LinkedHashMap<>();
        long everyMillis = Math.max(1_000, options.soak().toMillis() / 10);
        List<long[]> samples = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        samples.add(memorySample(start));
        java.util.concurrent.ScheduledExecutorService sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-soak-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleWithFixedDelay(() -> samples.add(memorySample(start)), everyMillis, everyMillis,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        openLoop(api, rate, options.soak(), "soak at 50%");
        sampler.shutdownNow();
        try {
            sampler.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long[] first = samples.get(0);
        long[] last = memorySample(start);
        samples.add(last);
        f.put("soak_seconds", options.soak().toSeconds());
        f.put("heap_after_gc_bytes_start", first[1]);
        f.put("heap_after_gc_bytes_end", last[1]);
        f.put("redis_used_memory_bytes_start", first[2]);
        f.put("redis_used_memory_bytes_end", last[2]);
        f.put("redis_guid_records_bytes_start", first[3]);
        f.put("redis_guid_records_bytes_end", last[3]);
        f.put("redis_guid_records_start", first[4]);
        f.put("redis_guid_records_end", last[4]);
        f.put("redis_without_guid_records_bytes_start", first[2] - first[3]);
        f.put("redis_without_guid_records_bytes_end", last[2] - last[3]);
        long records = last[4] - first[4];
        f.put("redis_guid_bytes_per_record", records > 0 ? Bench.round((last[3] - first[3]) / (double) records) : 0.0);
        List<long[]> all = List.copyOf(samples);
        f.put("soak_sample_seconds", all.stream().map(x -> x[0]).toList());
        f.put("soak_heap_after_gc_mb", all.stream().map(x -> x[1] >> 20).toList());
        f.put("soak_redis_guid_records_mb", all.stream().map(x -> x[3] >> 20).toList());
        f.put("soak_redis_without_guid_records_mb", all.stream().map(x -> (x[2] - x[3]) >> 20).toList());
        return f;
    }

    /** {seconds since start, heap after GC, Redis used_memory, bytes and count of source_guid records}. */
    private long[] memorySample(long startNanos) {
        long heap = heapAfterGc();
        long used = usedMemory();
        long[] guids = guidRecords();
        return new long[] {(System.nanoTime() - startNanos) / 1_000_000_000L, heap, used, guids[0], guids[1]};
    }

    /**
     * The memory (MEMORY USAGE, sampled) and field count of every source_guid bucket hash. SCAN
     * visits the whole keyspace in steps; a few hundred thousand ledger keys cost Redis a few
     * milliseconds per sample.
     */
    private long[] guidRecords() {
        long bytes = 0;
        long fields = 0;
        String cursor = "0";
        do {
            io.vertx.redis.client.Response r = BenchSupport.await(redis.send(Request.cmd(Command.SCAN).arg(cursor)
                    .arg("MATCH").arg("gw:*guids:*").arg("COUNT").arg(10_000)), Duration.ofSeconds(10));
            cursor = r.get(0).toString();
            for (io.vertx.redis.client.Response key : r.get(1)) {
                io.vertx.redis.client.Response m = BenchSupport.await(redis.send(Request.cmd(Command.MEMORY)
                        .arg("USAGE").arg(key.toString())), Duration.ofSeconds(10));
                bytes += m == null ? 0 : m.toLong();
                fields += BenchSupport.await(redis.send(Request.cmd(Command.HLEN).arg(key.toString())),
                        Duration.ofSeconds(10)).toLong();
            }
        } while (!"0".equals(cursor));
        return new long[] {bytes, fields};
    }

    /** Waits until the pipeline is empty: every accepted message delivered. */
    private void drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long backlog = BenchSupport.await(backlog(), Duration.ofSeconds(10));
            if (backlog == 0) {
                return;
            }
            sleep(50);
        }
        out.println("  warning: the pipeline did not drain in " + timeout.toSeconds() + " s");
    }

    private Future<Long> backlog() {
        List<Future<io.vertx.redis.client.Response>> lens = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            lens.add(redis.send(Request.cmd(Command.LLEN).arg(io.groupwire.core.redis.Keys.mailbox(i).queue())));
            lens.add(redis.send(Request.cmd(Command.LLEN).arg(io.groupwire.core.redis.Keys.mailbox(i).inflight())));
            for (Channel c : Channel.values()) {
                lens.add(redis.send(Request.cmd(Command.LLEN).arg(io.groupwire.core.redis.Keys.outbox(i, c).queue())));
                lens.add(redis.send(Request.cmd(Command.LLEN).arg(io.groupwire.core.redis.Keys.outbox(i, c).inflight())));
            }
        }
        return Future.all(lens).map(x -> lens.stream().mapToLong(f -> f.result().toLong()).sum());
    }

    private long usedMemory() {
        for (String line : info("memory").split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        throw new IllegalStateException("INFO memory has no used_memory");
    }

    private String info(String section) {
        return BenchSupport.await(redis.send(Request.cmd(Command.INFO).arg(section)), Duration.ofSeconds(10)).toString();
    }

    /** Per command, {calls, µs} so far, from INFO commandstats (scripts' inner calls included). */
    private Map<String, double[]> commandStats() {
        Map<String, double[]> stats = new HashMap<>();
        for (String line : info("commandstats").split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue;
            }
            String name = line.substring("cmdstat_".length(), line.indexOf(':'));
            double calls = 0;
            double usec = 0;
            for (String kv : line.substring(line.indexOf(':') + 1).split(",")) {
                if (kv.startsWith("calls=")) {
                    calls = Double.parseDouble(kv.substring(6));
                } else if (kv.startsWith("usec=")) {
                    usec = Double.parseDouble(kv.substring(5));
                }
            }
            stats.put(name, new double[] {calls, usec});
        }
        return stats;
    }

    /**
     * The heap in use just after a full collection, as that collection reported it: read a moment
     * later, the heap would also hold what the load allocated meanwhile (tens of MB at half load).
     */
    private static long heapAfterGc() {
        System.gc();
        com.sun.management.GcInfo latest = null;
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof com.sun.management.GarbageCollectorMXBean g && g.getLastGcInfo() != null
                    && (latest == null || g.getLastGcInfo().getEndTime() > latest.getEndTime())) {
                latest = g.getLastGcInfo();
            }
        }
        if (latest == null) {
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
        long used = 0;
        for (java.lang.management.MemoryUsage u : latest.getMemoryUsageAfterGc().values()) {
            used += u.getUsed();
        }
        // non-heap pools (metaspace, code cache) are in the map too: count only the heap's
        long nonHeap = 0;
        for (java.lang.management.MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.NON_HEAP) {
                java.lang.management.MemoryUsage u = latest.getMemoryUsageAfterGc().get(pool.getName());
                nonHeap += u == null ? 0 : u.getUsed();
            }
        }
        return used - nonHeap;
    }

    private static int freePort() {
        try {
            return io.groupwire.core.redis.RedisProcess.freePort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A unique source_guid; UUID.randomUUID's SecureRandom is needless work for the load generator. */
    private static String guid() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return new UUID(r.nextLong(), r.nextLong()).toString();
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

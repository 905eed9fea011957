package io.groupwire.deploy.fault;

import static io.groupwire.core.testing.TestRedis.await;

import io.groupwire.core.config.Env;
import io.groupwire.core.redis.RedisSettings;
import io.groupwire.core.redis.Shards;
import io.groupwire.gateway.GatewayConfig;
import io.groupwire.gateway.GatewayService;
import io.groupwire.sandbox.SandboxConfig;
import io.groupwire.sandbox.SandboxService;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One fault run: a real Redis (single or cluster), the sandbox providers and the gateway in this
 * JVM, two transports and two pacers as OS processes; messages sent at a steady rate while a
 * {@link Disruption} works on the platform ({@link Chaos} kills processes, faults the providers and
 * crashes Redis; {@link RollingRestarts} deploys; {@link Rebalance} adds and removes instances); then
 * a drain, and a {@link Reconciliation} of what was accepted against what the providers received.
 */
final class FaultSuite {
    static final int SHARDS = 16;
    private static final String ADMIN = "fault-suite-admin-token";

    private FaultSuite() {
    }

    /**
     * What a disruption gets to work with: the service processes (it may add some: they are
     * stopped with the rest), how to start another one, the providers' fault control, and how to
     * tell what a pacer has in flight.
     */
    record Stage(List<ServiceProcess> services, Map<String, String> serviceEnv, Path logs, RedisTopology redis,
                 ApiCalls api, String sandboxUrl, FaultPlan plan, InFlightMarks inFlight) {

        /** A new transport or pacer process (not yet started), stopped with the others at the end. */
        ServiceProcess newService(String role, int index) throws java.io.IOException {
            ServiceProcess p = new ServiceProcess(role, index, serviceEnv, logs);
            services.add(p);
            return p;
        }

        /** Sets the sandbox's fault plan ({@code POST /sandbox/faults}). */
        void setFaults(io.vertx.core.json.JsonObject faults) {
            ApiCalls.Answer a = api.post(sandboxUrl, "/sandbox/faults", null, faults).join();
            if (a.status() != 200) {
                throw new IllegalStateException("POST /sandbox/faults answered " + a.status() + " " + a.body());
            }
        }
    }

    /** The crash-and-fault run: {@link Chaos}. */
    static FaultReport run(RedisTopology redis, FaultPlan plan, Path dir) throws Exception {
        return run(redis, plan, dir, stage -> new Chaos(stage.services(), stage.redis(), stage.api(), stage.sandboxUrl(),
                stage.plan().sendSeconds(), stage.plan().messageTtlSeconds(), new Random(stage.plan().seed() + 1),
                stage.inFlight()));
    }

    static FaultReport run(RedisTopology redis, FaultPlan plan, Path dir,
                           java.util.function.Function<Stage, Disruption> disruption) throws Exception {
        long started = System.nanoTime();
        String runId = Long.toString(plan.seed() & 0xffffff, 36);
        Random random = new Random(plan.seed());
        Vertx vertx = Vertx.vertx();
        List<ServiceProcess> services = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            Map<String, String> env = new HashMap<>(redis.env());
            env.putAll(Map.of(
                    "GROUPWIRE_SHARDS", Integer.toString(SHARDS),
                    "GROUPWIRE_MESSAGE_TTL", plan.messageTtlSeconds() + "s",
                    "GROUPWIRE_LEASE", "5s",
                    "GROUPWIRE_IDLE_POLL", "10ms",
                    // outcomes stay readable until the reconciliation is done
                    "GROUPWIRE_SETTLED_LEDGER_TTL", "2h",
                    "GROUPWIRE_RETRY_BASE", "200ms",
                    "GROUPWIRE_RETRY_MAX", "3s",
                    "GROUPWIRE_RATE_SMS", "3000"));
            env.putAll(Map.of(
                    "GROUPWIRE_TRANSPORT_HOST", "127.0.0.1", "GROUPWIRE_TRANSPORT_PORT", "0",
                    "GROUPWIRE_PACER_HOST", "127.0.0.1", "GROUPWIRE_PACER_PORT", "0",
                    "GROUPWIRE_SANDBOX_HOST", "127.0.0.1", "GROUPWIRE_SANDBOX_PORT", "0",
                    "GROUPWIRE_SANDBOX_APNS_PORT", "0",
                    "GROUPWIRE_ADMIN_TOKEN", ADMIN,
                    "GROUPWIRE_HTTP_HOST", "127.0.0.1", "GROUPWIRE_HTTP_PORT", "0"));
            // the suite's load is far above one person's: the rate limits stay on (their buckets live
            // through the same faults) but far above it
            env.putAll(Map.of(
                    "GROUPWIRE_LIMIT_SENDS_PER_USER", "1000000000/1s", "GROUPWIRE_LIMIT_SENDS_PER_GROUP", "1000000000/1s",
                    "GROUPWIRE_LIMIT_GROUPS_PER_USER", "1000000000/1s", "GROUPWIRE_LIMIT_MEMBER_ADDS_PER_USER", "1000000000/1s"));
            Env base = new Env(env);
            SandboxService sandbox = await(SandboxService.start(vertx, SandboxConfig.fromEnv(base, dir)));
            Env full = base.with(sandbox.providerEnv());
            GatewayService gateway = await(GatewayService.start(vertx, GatewayConfig.fromEnv(full)));
            Map<String, String> serviceEnv = new HashMap<>(env);
            serviceEnv.putAll(sandbox.providerEnv());
            for (String role : List.of("transport", "pacer")) {
                for (int i = 0; i < 2; i++) {
                    ServiceProcess p = new ServiceProcess(role, i, serviceEnv, dir.resolve("logs"));
                    p.start();
                    services.add(p);
                }
            }
            String api = "http://127.0.0.1:" + gateway.port();
            String sandboxUrl = "http://127.0.0.1:" + sandbox.port();
            ApiCalls calls = new ApiCalls();
            Population population = Population.create(calls, api, ADMIN, plan.users(), plan.groupSizes(), random);
            MessageSender sender = new MessageSender(calls, api, runId);
            Redis client = Redis.createClient(vertx, RedisSettings.fromEnv(base).toOptions());
            InFlightMarks inFlight = new InFlightMarks(client, new Shards(SHARDS));
            Disruption chaos = disruption.apply(new Stage(services, Map.copyOf(serviceEnv), dir.resolve("logs"), redis,
                    calls, sandboxUrl, plan, inFlight));
            if (plan.faults()) {
                chaos.start();
            }
            sender.send(population.groups(), plan.messages(), plan.sendSeconds(), random);
            long sent = System.nanoTime();
            chaos.close();
            Reconciliation reconciliation = new Reconciliation(client, new Shards(SHARDS), runId);
            Reconciliation.Result result = drain(reconciliation, sender, sandbox, plan.drainSeconds());
            // late duplicates (a resend still in flight) show up now or never
            Thread.sleep(2_000);
            result = reconciliation.run(sender.accepted(), sandbox.received().all(), true);
            FaultReport report = new FaultReport(redis.name(), redis.faultName(), plan, sender, chaos, services, result,
                    (sent - started) / 1e9, (System.nanoTime() - sent) / 1e9, sandbox.received().dropped());
            client.close();
            for (ServiceProcess p : services) {
                p.close();
            }
            await(gateway.stop());
            await(sandbox.stop());
            return report;
        } finally {
            services.forEach(ServiceProcess::close);
            vertx.close();
        }
    }

    /** Reconciles every two seconds until nothing is pending (or the time is up), and returns the last result. */
    private static Reconciliation.Result drain(Reconciliation reconciliation, MessageSender sender, SandboxService sandbox,
                                               int seconds) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        Reconciliation.Result r;
        do {
            Thread.sleep(2_000);
            r = reconciliation.run(sender.accepted(), sandbox.received().all(), false);
            System.out.printf("fault suite: draining, %d of %d deliveries pending%n", r.total().pending, r.total().expected);
        } while (r.total().pending > 0 && System.currentTimeMillis() < deadline);
        return r;
    }

    static Path workDir(String name) throws java.io.IOException {
        Path target = Path.of("target");
        Path base = Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = base.resolve("fault-" + name + "-" + System.currentTimeMillis());
        Files.createDirectories(dir);
        return dir;
    }
}

package io.groupwire.pacer;

import io.groupwire.core.delivery.ProviderClient;
import io.groupwire.core.ledger.DeliveryLedger;
import io.groupwire.core.message.Channel;
import io.groupwire.core.config.OwnContext;
import io.groupwire.core.metrics.ManagementServer;
import io.groupwire.core.metrics.ServiceMetrics;
import io.groupwire.core.queue.LeaseTerms;
import io.groupwire.core.queue.LeasedLoopRunner;
import io.groupwire.core.queue.QueueLoop;
import io.groupwire.core.queue.ReliableQueue;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.RedisWait;
import io.groupwire.core.redis.ShardCount;
import io.groupwire.core.redis.Shards;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate pacer: shares the outboxes of its channels with its peers and drains each one it owns
 * under the channel's global token bucket, pausing a channel when its provider asks, retrying with
 * back-off until the TTL, and recording every outcome in the ledger. Serves /health and /metrics.
 * All of its state lives on one Vert.x context.
 */
public final class PacerService {
    private static final Logger LOG = LoggerFactory.getLogger(PacerService.class);

    private final Vertx vertx;
    private final PacerConfig config;
    private final Map<Channel, ProviderClient> providers;
    private DestinationRemover remover;
    private final Redis redis;
    private final PrometheusMeterRegistry registry;
    private final Map<Channel, PacerMetrics> metrics = new EnumMap<>(Channel.class);
    private RedisBuckets buckets;
    private LeasedLoopRunner runner;
    private HttpServer http;
    private Shards shards;
    private OwnContext context;
    private io.groupwire.core.report.InstanceReporter reporter;
    private volatile boolean ready;
    private volatile boolean stopping;

    private PacerService(Vertx vertx, PacerConfig config, Map<Channel, ProviderClient> providers, DestinationRemover remover) {
        this.vertx = vertx;
        this.config = config;
        this.providers = Map.copyOf(providers);
        this.remover = remover;
        this.redis = Redis.createClient(vertx, config.redis().toOptions());
        this.registry = ServiceMetrics.create("pacer");
        for (Channel c : config.channels()) {
            if (!providers.containsKey(c)) {
                throw new IllegalArgumentException("no provider client for channel " + c.id());
            }
            metrics.put(c, new PacerMetrics(registry, c));
        }
    }

    /**
     * Starts the pacer with its provider clients built from the environment
     * ({@link ProviderClients#fromEnv}) and dead destinations removed from the directory.
     */
    public static Future<PacerService> start(Vertx vertx, PacerConfig config, io.groupwire.core.config.Env env) {
        Map<Channel, ProviderClient> providers;
        try {
            providers = ProviderClients.fromEnv(vertx, env, config.channels());
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return start(vertx, config, providers, null);
    }

    /**
     * Starts the pacer. {@code providers} holds one client per channel in the config; the pacer
     * closes them when it stops. A null {@code remover} removes dead destinations from the directory.
     * It serves /health at once, and while Redis is unreachable it waits for it (not ready) instead
     * of failing: the returned future completes once it works.
     */
    public static Future<PacerService> start(Vertx vertx, PacerConfig config, Map<Channel, ProviderClient> providers,
                                             DestinationRemover remover) {
        PacerService s = new PacerService(vertx, config, providers, remover);
        return OwnContext.create(vertx).compose(own -> {
            s.context = own;
            return own.run(v -> s.begin().map(s));
        });
    }

    /**
     * A channel that must never send twice (SMS) has its sending marks replicated before each
     * provider call when the deployment asks for replicas; push resends are allowed (collapse id)
     * and skip the wait.
     */
    private DeliveryLedger ledger(int shard, Channel c) {
        return new DeliveryLedger(redis, shard, c, config.workerId(), DeliveryLedger.Options.DEFAULTS
                .withSettledTtl(config.settledLedgerTtl())
                .withBeginReplicas(c.collapsesDuplicates() ? 0 : config.waitReplicas(), config.waitTimeout()));
    }

    private Future<Void> begin() {
        return ManagementServer.start(vertx, "pacer", registry, redis, () -> ready, config.host(), config.port())
                .compose(server -> {
                    http = server;
                    return new RedisWait(vertx, "pacer " + config.workerId(), config.redis(),
                            e -> e instanceof ShardCount.Disagreement, () -> stopping)
                            .until(() -> ShardCount.agree(redis, config.redis().shards()).compose(agreed -> {
                                shards = agreed;
                                // Lettuce connects synchronously: keep it off the event loop
                                return vertx.executeBlocking(() -> new RedisBuckets(config.redis()));
                            }));
                })
                .compose(b -> {
                    if (stopping) {
                        b.close();
                        return Future.failedFuture(new IllegalStateException("pacer stopped while starting"));
                    }
                    if (remover == null) {
                        remover = new DirectoryDestinationRemover(
                                new io.groupwire.core.directory.Directory(redis, shards, Clock.systemUTC()));
                    }
                    buckets = b;
                    List<ReliableQueue> queues = new ArrayList<>();
                    Map<String, Supplier<QueueLoop>> loops = new HashMap<>();
                    List<ProviderPause> pauses = new ArrayList<>();
                    for (Channel c : config.channels()) {
                        ProviderPause pause = new ProviderPause(redis, c);
                        pauses.add(pause);
                        ChannelPacing pacing = ChannelPacing.builder(c)
                                .provider(providers.get(c))
                                .tokens(new TokenGate(buckets.bucket(c, config.limit(c)), context.context()))
                                .permits(new ChannelPermits(config.limit(c).maxInflight()))
                                .pause(pause)
                                .retries(new RetryPolicy(config.retryBase(), config.retryMax(), config.maxAttempts()))
                                .remover(remover)
                                .metrics(metrics.get(c))
                                .build();
                        for (int i = 0; i < shards.count(); i++) {
                            int shard = i;
                            ReliableQueue q = new ReliableQueue(redis, Keys.outbox(shard, c), config.workerId(), config.lease());
                            queues.add(q);
                            loops.put(q.keys().queue(), () -> new OutboxLoop(vertx, q, ledger(shard, c), pacing, config));
                        }
                    }
                    runner = new LeasedLoopRunner(vertx, redis, new LeaseTerms("pacer", config.workerId(), config.lease()),
                            queues, queue -> loops.get(queue.keys().queue()).get());
                    pauses.forEach(pause -> pause.startPolling(runner.timers(), 250));
                    runner.timers().every(1000, this::sampleDepth);
                    reporter = io.groupwire.core.report.InstanceReporter.start(vertx, redis, "pacer", config.workerId(), registry, runner::ownedQueueKeys);
                    LOG.info("pacer {} started for {} on {} shards, Redis {}", config.workerId(), config.channels(),
                            shards.count(), config.redis().describe());
                    return runner.start();
                })
                .onSuccess(v -> ready = true);
    }

    private void sampleDepth() {
        for (Channel c : config.channels()) {
            List<Future<Response>> depths = new ArrayList<>();
            for (int i = 0; i < shards.count(); i++) {
                depths.add(redis.send(Request.cmd(Command.LLEN).arg(Keys.outbox(i, c).queue())));
                depths.add(redis.send(Request.cmd(Command.ZCARD).arg(Keys.retry(i, c))));
            }
            Future.all(depths).onSuccess(all -> {
                long waiting = 0;
                long retrying = 0;
                for (int i = 0; i < depths.size(); i += 2) {
                    waiting += depths.get(i).result().toLong();
                    retrying += depths.get(i + 1).result().toLong();
                }
                metrics.get(c).outboxDepth.set(waiting);
                metrics.get(c).retryDepth.set(retrying);
            });
        }
    }

    public int port() {
        return http.actualPort();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Outboxes whose lease this instance holds. */
    public int ownedQueues() {
        return runner.ownedQueues();
    }

    /** Whether the pacer has started its work (Redis answered); /health says so too. */
    public boolean ready() {
        return ready;
    }

    /**
     * Graceful stop: no new claims, sends in progress finish and are recorded, leases are renewed
     * until given back.
     */
    public Future<Void> stop() {
        stopping = true;
        ready = false;
        Promise<Void> done = Promise.promise();
        context.context().runOnContext(v -> {
            Future<Void> unreported = reporter == null ? Future.succeededFuture() : reporter.stop();
            Future<Void> released = runner == null ? Future.succeededFuture() : unreported.compose(u -> runner.stop());
            released.compose(x -> http == null ? Future.succeededFuture() : http.close())
                    .eventually(() -> {
                        providers.values().forEach(ProviderClient::close);
                        if (buckets != null) {
                            buckets.close();
                        }
                        redis.close();
                        return Future.succeededFuture();
                    })
                    .onComplete(ar -> LOG.info("pacer {} stopped", config.workerId()))
                    .onComplete(done);
        });
        // the context goes last: its deployment is undeployed once the service has let go of everything
        return done.future().eventually(() -> context.close());
    }
}

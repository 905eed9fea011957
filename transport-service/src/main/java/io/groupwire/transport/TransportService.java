package io.groupwire.transport;

import io.groupwire.core.fanout.FanoutLedger;
import io.groupwire.core.config.OwnContext;
import io.groupwire.core.metrics.ManagementServer;
import io.groupwire.core.metrics.ServiceMetrics;
import io.groupwire.core.queue.LeaseTerms;
import io.groupwire.core.queue.LeasedLoopRunner;
import io.groupwire.core.queue.ReliableQueue;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.Pipeline;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport service: shares the mailbox shards with its peers, and for every shard it owns,
 * claims messages, drops expired ones and fans the rest out into the outboxes exactly once.
 * Serves /health and /metrics. {@link #stop} is graceful: it stops claiming, finishes the batches
 * in progress and gives its shards back with whatever is still claimed.
 */
public final class TransportService {
    private static final Logger LOG = LoggerFactory.getLogger(TransportService.class);

    private final Vertx vertx;
    private final TransportConfig config;
    private final Redis redis;
    private final PrometheusMeterRegistry registry;
    private final TransportMetrics metrics;
    private LeasedLoopRunner runner;
    private HttpServer http;
    private Shards shards;
    private OwnContext context;
    private io.groupwire.core.report.InstanceReporter reporter;
    private volatile boolean ready;
    private volatile boolean stopping;

    private TransportService(Vertx vertx, TransportConfig config) {
        this.vertx = vertx;
        this.config = config;
        this.redis = Redis.createClient(vertx, config.redis().toOptions());
        this.registry = ServiceMetrics.create("transport");
        this.metrics = new TransportMetrics(registry);
    }

    /**
     * Starts the service; all of its state then lives on one Vert.x context. It serves /health at
     * once, and while Redis is unreachable it waits for it (not ready) instead of failing: the
     * returned future completes once it works.
     */
    public static Future<TransportService> start(Vertx vertx, TransportConfig config) {
        TransportService s = new TransportService(vertx, config);
        return OwnContext.create(vertx).compose(own -> {
            s.context = own;
            return own.run(v -> s.begin().map(s));
        });
    }

    private Future<Void> begin() {
        return ManagementServer.start(vertx, "transport", registry, redis, () -> ready, config.host(), config.port())
                .compose(server -> {
                    http = server;
                    return new RedisWait(vertx, "transport " + config.workerId(), config.redis(),
                            e -> e instanceof ShardCount.Disagreement, () -> stopping)
                            .until(() -> ShardCount.agree(redis, config.redis().shards()));
                })
                .compose(agreed -> {
                    if (stopping) {
                        return Future.failedFuture(new IllegalStateException("transport stopped while starting"));
                    }
                    shards = agreed;
                    Pipeline pipeline = new Pipeline(redis, config.redis().cluster());
                    RouteResolver routes = new RouteResolver(pipeline, shards);
                    SmsSenderNumbers senders = new SmsSenderNumbers(config.numberPool() == null ? null
                            : new io.groupwire.core.reply.ReplyNumbers(redis, config.numberPool()), metrics);
                    List<ReliableQueue> queues = new ArrayList<>();
                    Map<String, Integer> shardOf = new HashMap<>();
                    for (int i = 0; i < shards.count(); i++) {
                        ReliableQueue q = new ReliableQueue(redis, Keys.mailbox(i), config.workerId(), config.lease());
                        queues.add(q);
                        shardOf.put(q.keys().queue(), i);
                    }
                    runner = new LeasedLoopRunner(vertx, redis, new LeaseTerms("transport", config.workerId(), config.lease()),
                            queues, queue -> {
                                int shard = shardOf.get(queue.keys().queue());
                                FanoutLedger ledger = new FanoutLedger(redis, shard, config.workerId(), config.ledgerTtl());
                                return new ShardLoop(vertx, queue, ledger, routes, config, metrics, senders, Clock.systemUTC());
                            });
                    runner.timers().every(1000, this::sampleDepth);
                    reporter = io.groupwire.core.report.InstanceReporter.start(vertx, redis, "transport", config.workerId(), registry, runner::ownedQueueKeys);
                    LOG.info("transport {} started on {} shards, Redis {}", config.workerId(), shards.count(),
                            config.redis().describe());
                    return runner.start();
                })
                .onSuccess(v -> ready = true);
    }

    private void sampleDepth() {
        List<Future<Response>> depths = new ArrayList<>();
        for (int i = 0; i < shards.count(); i++) {
            depths.add(redis.send(Request.cmd(Command.LLEN).arg(Keys.mailbox(i).queue())));
            depths.add(redis.send(Request.cmd(Command.LLEN).arg(Keys.mailbox(i).inflight())));
        }
        Future.all(depths).onSuccess(all -> {
            long waiting = 0;
            long claimed = 0;
            for (int i = 0; i < depths.size(); i += 2) {
                waiting += depths.get(i).result().toLong();
                claimed += depths.get(i + 1).result().toLong();
            }
            metrics.mailboxDepth.set(waiting);
            metrics.mailboxInflight.set(claimed);
        });
    }

    public int port() {
        return http.actualPort();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Shards whose lease this instance holds. */
    public int ownedShards() {
        return runner.ownedQueues();
    }

    /** Whether the service has started its work (Redis answered); /health says so too. */
    public boolean ready() {
        return ready;
    }

    /** Graceful stop: no new claims, batches in progress finish, claims go back to their mailboxes. */
    public Future<Void> stop() {
        stopping = true;
        ready = false;
        Promise<Void> done = Promise.promise();
        context.context().runOnContext(x -> {
            Future<Void> unreported = reporter == null ? Future.succeededFuture() : reporter.stop();
            Future<Void> released = runner == null ? Future.succeededFuture() : unreported.compose(u -> runner.stop());
            released.compose(v -> http == null ? Future.succeededFuture() : http.close())
                    .eventually(() -> {
                        redis.close();
                        return Future.succeededFuture();
                    })
                    .onComplete(ar -> LOG.info("transport {} stopped", config.workerId()))
                    .onComplete(done);
        });
        // the context goes last: its deployment is undeployed once the service has let go of everything
        return done.future().eventually(() -> context.close());
    }
}

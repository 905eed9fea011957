package io.groupwire.transport.events;

import io.groupwire.core.config.OwnContext;
import io.groupwire.core.directory.Directory;
import io.groupwire.core.events.ConsumerLag;
import io.groupwire.core.events.EventStream;
import io.groupwire.core.metrics.ManagementServer;
import io.groupwire.core.metrics.ServiceMetrics;
import io.groupwire.core.queue.Timers;
import io.groupwire.core.redis.RedisWait;
import io.groupwire.core.redis.ShardCount;
import io.groupwire.core.redis.Shards;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events role: runs the notifier and the counters consumer groups, one reader per group and
 * shard, trims the streams by age, and serves /health and /metrics with each group's lag
 * ({@code groupwire_events_lag_entries}, {@code groupwire_events_pending},
 * {@code groupwire_events_oldest_age_seconds}). Any number of instances may run: a consumer group
 * shares its entries among them.
 */
public final class EventsService {
    private static final Logger LOG = LoggerFactory.getLogger(EventsService.class);
    private static final long LAG_SAMPLE_MILLIS = 1000;
    private static final long TRIM_MILLIS = 60_000;

    private final Vertx vertx;
    private final EventsConfig config;
    private final Redis redis;
    private final PrometheusMeterRegistry registry;
    private final Timers timers;
    private final List<ConsumerLoop> loops = new ArrayList<>();
    private final Map<String, ConsumerLag.Lag> lags = new ConcurrentHashMap<>();
    private HttpServer http;
    private OwnContext context;
    private volatile boolean ready;
    private volatile boolean stopping;

    private EventsService(Vertx vertx, EventsConfig config) {
        this.vertx = vertx;
        this.config = config;
        this.redis = Redis.createClient(vertx, config.redis().toOptions());
        this.registry = ServiceMetrics.create("events");
        this.timers = new Timers(vertx);
    }

    /** Starts the role; like the other services it serves /health at once and waits for Redis. */
    public static Future<EventsService> start(Vertx vertx, EventsConfig config) {
        EventsService s = new EventsService(vertx, config);
        return OwnContext.create(vertx).compose(own -> {
            s.context = own;
            return own.run(v -> s.begin().map(s));
        });
    }

    private Future<Void> begin() {
        return ManagementServer.start(vertx, "events", registry, redis, () -> ready, config.host(), config.port())
                .compose(server -> {
                    http = server;
                    return new RedisWait(vertx, "events " + config.workerId(), config.redis(),
                            e -> e instanceof ShardCount.Disagreement, () -> stopping)
                            .until(() -> ShardCount.agree(redis, config.redis().shards()));
                })
                .compose(shards -> {
                    if (stopping) {
                        return Future.failedFuture(new IllegalStateException("events stopped while starting"));
                    }
                    Directory directory = new Directory(redis, shards, Clock.systemUTC());
                    List<EventHandler> handlers = List.of(
                            new LikeNotifier(redis, directory, config.messageTtl(), config.ledgerTtl(), Clock.systemUTC()),
                            new LikeCounter(redis, config.limits().ttl()));
                    List<Future<Void>> started = new ArrayList<>();
                    for (EventHandler h : handlers) {
                        lagGauges(h.group());
                        for (int s = 0; s < shards.count(); s++) {
                            ConsumerLoop loop = new ConsumerLoop(redis, s, h, config, timers, registry);
                            loops.add(loop);
                            started.add(loop.start());
                        }
                    }
                    ConsumerLag lag = new ConsumerLag(redis, shards.count());
                    timers.every(LAG_SAMPLE_MILLIS, () -> handlers.forEach(h ->
                            lag.of(h.group(), System.currentTimeMillis()).onSuccess(l -> lags.put(h.group(), l))));
                    timers.every(TRIM_MILLIS, () -> trim(shards));
                    LOG.info("events {} started on {} shards, Redis {}", config.workerId(), shards.count(), config.redis().describe());
                    return Future.all(started).<Void>mapEmpty();
                })
                .onSuccess(v -> ready = true);
    }

    private void lagGauges(String group) {
        Gauge.builder("groupwire_events_lag_entries", lags, m -> m.containsKey(group) ? m.get(group).undelivered() : 0)
                .tag("group", group).description("entries not yet delivered to the consumer group").register(registry);
        Gauge.builder("groupwire_events_pending", lags, m -> m.containsKey(group) ? m.get(group).pending() : 0)
                .tag("group", group).description("entries delivered to the group and not acknowledged").register(registry);
        Gauge.builder("groupwire_events_oldest_age_seconds", lags, m -> m.containsKey(group) ? m.get(group).oldestAgeSeconds() : 0)
                .tag("group", group).description("age of the group's oldest unprocessed entry").register(registry);
    }

    private void trim(Shards shards) {
        EventStream any = new EventStream(redis, LikeNotifier.GROUP);
        long min = System.currentTimeMillis() - config.limits().streamRetention().toMillis();
        for (int s = 0; s < shards.count(); s++) {
            any.trimBefore(s, min).onFailure(e -> LOG.warn("events trim: {}", e.toString()));
        }
    }

    public int port() {
        return http.actualPort();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public boolean ready() {
        return ready;
    }

    /** Stops reading; an entry being handled completes or stays pending for another instance to claim. */
    public Future<Void> stop() {
        stopping = true;
        ready = false;
        Promise<Void> done = Promise.promise();
        context.context().runOnContext(x -> {
            loops.forEach(ConsumerLoop::stop);
            timers.cancelAll();
            (http == null ? Future.<Void>succeededFuture() : http.close())
                    .eventually(() -> {
                        redis.close();
                        return Future.succeededFuture();
                    })
                    .onComplete(ar -> LOG.info("events {} stopped", config.workerId()))
                    .onComplete(done);
        });
        return done.future().eventually(() -> context.close());
    }
}

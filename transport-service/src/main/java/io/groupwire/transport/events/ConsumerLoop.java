package io.groupwire.transport.events;

import io.groupwire.core.events.DeadEventScript;
import io.groupwire.core.events.EventEntry;
import io.groupwire.core.events.EventStream;
import io.groupwire.core.queue.Timers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer group's reader of one shard's stream: reads the entries never delivered to the
 * group, and every {@link EventsConfig#claimIdle} claims the entries any consumer of the group
 * left pending that long (a consumer that died mid-entry). A claimed entry delivered
 * {@link EventsConfig#maxDeliveries} times goes to the dead-letter list instead of its handler.
 * A handler's failure leaves its entry pending, to be claimed again. Runs on one context.
 */
final class ConsumerLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);

    private final int shard;
    private final EventStream stream;
    private final EventHandler handler;
    private final DeadEventScript dead;
    private final EventsConfig config;
    private final Timers timers;
    private final Counter handled;
    private final Counter failed;
    private final Counter deadLettered;
    private long lastClaim;
    private volatile boolean stopped;

    ConsumerLoop(Redis redis, int shard, EventHandler handler, EventsConfig config, Timers timers, MeterRegistry registry) {
        this.shard = shard;
        this.stream = new EventStream(redis, handler.group());
        this.handler = handler;
        this.dead = new DeadEventScript(redis, handler.group());
        this.config = config;
        this.timers = timers;
        this.handled = registry.counter("groupwire_events_handled_total", "group", handler.group());
        this.failed = registry.counter("groupwire_events_failed_total", "group", handler.group());
        this.deadLettered = registry.counter("groupwire_events_dead_total", "group", handler.group());
    }

    Future<Void> start() {
        return stream.ensureGroup(shard).onSuccess(v -> next(0));
    }

    void stop() {
        stopped = true;
    }

    private void next(long delayMillis) {
        if (stopped) {
            return;
        }
        timers.once(Math.max(1, delayMillis), this::round);
    }

    private void round() {
        if (stopped) {
            return;
        }
        long now = System.currentTimeMillis();
        Future<Integer> claimed = Future.succeededFuture(0);
        if (now - lastClaim >= config.claimIdle().toMillis()) {
            lastClaim = now;
            claimed = claim();
        }
        claimed.compose(c -> stream.read(shard, config.workerId(), config.batch())
                        .compose(entries -> handleAll(entries).map(entries.size() + c)))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        LOG.warn("events {} shard {}: {}", handler.group(), shard, ar.cause().toString());
                        next(config.poll().toMillis() * 10);
                    } else {
                        next(ar.result() > 0 ? 0 : config.poll().toMillis());
                    }
                });
    }

    private Future<Integer> claim() {
        return stream.claimIdle(shard, config.workerId(), config.claimIdle().toMillis(), config.batch()).compose(entries -> {
            if (entries.isEmpty()) {
                return Future.succeededFuture(0);
            }
            return stream.deliveries(shard, Math.max(config.batch(), 1000)).compose(counts -> {
                List<EventEntry> retry = new ArrayList<>();
                List<Future<Void>> deadened = new ArrayList<>();
                for (EventEntry e : entries) {
                    long n = counts.getOrDefault(e.id(), 1L);
                    if (n >= config.maxDeliveries()) {
                        LOG.warn("events {} shard {}: entry {} delivered {} times, dead-lettered", handler.group(), shard, e.id(), n);
                        deadLettered.increment();
                        deadened.add(dead.run(e, n));
                    } else {
                        retry.add(e);
                    }
                }
                return Future.all(deadened).compose(x -> handleAll(retry)).map(entries.size());
            });
        });
    }

    /** Handles the entries one by one (a like's count and notification need no ordering, but one at a time keeps Redis's share small). */
    private Future<Void> handleAll(List<EventEntry> entries) {
        List<String> unwanted = new ArrayList<>();
        Future<Void> chain = Future.succeededFuture();
        for (EventEntry e : entries) {
            chain = chain.compose(v -> safely(e)
                    .map(acted -> {
                        handled.increment();
                        if (!acted) {
                            unwanted.add(e.id());
                        }
                        return (Void) null;
                    })
                    .recover(err -> {
                        // left pending: claimed again after the idle time, dead-lettered after too many deliveries
                        failed.increment();
                        LOG.warn("events {} shard {}: entry {} failed: {}", handler.group(), shard, e.id(), err.toString());
                        return Future.succeededFuture();
                    }));
        }
        return chain.compose(v -> stream.ack(shard, unwanted));
    }

    /** A handler that throws on a malformed entry fails that entry only, not the rest of the batch. */
    private Future<Boolean> safely(EventEntry e) {
        try {
            return handler.handle(e);
        } catch (RuntimeException err) {
            return Future.failedFuture(err);
        }
    }

}

package io.groupwire.console;

import io.groupwire.core.message.Channel;
import io.groupwire.core.queue.QueueStateScript;
import io.groupwire.core.queue.QueueStateScript.QueueState;
import io.groupwire.core.queue.Timers;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.report.Figures;
import io.groupwire.core.report.InstanceCard;
import io.groupwire.core.report.ReportReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's one reader of Redis: once a second it reads the instances' reports (cards, the
 * merged figures of the second two seconds back, so that every instance has written it, and every
 * ten seconds the window that ended), the state of every shard's queues (one script call per
 * shard) and the providers' pauses, keeps the history, and pushes one snapshot to every open page.
 * Its cost does not depend on how many pages are open.
 */
final class Sampler {
    private static final Logger LOG = LoggerFactory.getLogger(Sampler.class);
    /** Seconds behind the clock the sampler reads: an instance reports a second just after it ends. */
    static final int LAG_SECONDS = 2;
    /** A lease with less left than this is shown as about to lapse (leases are renewed every third of their term). */
    static final long LAPSING_MILLIS = 3_000;

    private final Redis redis;
    private final int shards;
    private final Clock clock;
    private final ReportReader reports;
    private final QueueStateScript queueState;
    private final LiveFeed feed;
    private final Timers timers;
    private final History history = new History();
    private final ConsoleGauges gauges;
    private JsonObject last = new JsonObject();
    private long lastSecond;

    Sampler(Vertx vertx, Redis redis, int shards, LiveFeed feed, ConsoleGauges gauges, Clock clock) {
        this.gauges = gauges;
        this.redis = redis;
        this.shards = shards;
        this.clock = clock;
        this.reports = new ReportReader(redis);
        this.queueState = new QueueStateScript(redis);
        this.feed = feed;
        this.timers = new Timers(vertx);
    }

    /** Loads the last five minutes and the last hour, then samples every second. */
    Future<Void> start() {
        long second = clock.millis() / 1000 - LAG_SECONDS;
        lastSecond = second;
        List<Future<Figures>> secs = new ArrayList<>();
        for (long s = second - History.SECONDS + 1; s <= second; s++) {
            secs.add(reports.mergedSecond(s));
        }
        List<Future<Figures>> wins = new ArrayList<>();
        long lastWindow = (second + 1) / 10 - 1;
        for (long w = lastWindow - History.WINDOWS + 1; w <= lastWindow; w++) {
            wins.add(reports.mergedWindow(w));
        }
        return Future.all(Future.all(secs), Future.all(wins)).onSuccess(x -> {
            secs.forEach(f -> history.addSecond(f.result()));
            wins.forEach(f -> history.addWindow(f.result()));
        }).<Void>mapEmpty().recover(e -> {
            LOG.warn("the console could not load the report history: {}", e.toString());
            return Future.succeededFuture();
        }).onComplete(v -> schedule());
    }

    void stop() {
        timers.cancelAll();
    }

    /** The history for a page that just opened, with the latest snapshot. */
    JsonObject history() {
        return new JsonObject().put("seconds", history.secondPoints()).put("windows", history.windowPoints())
                .put("snapshot", last);
    }

    JsonObject latest() {
        return last;
    }

    private void schedule() {
        long now = clock.millis();
        // a little after the whole second, after the instances' reports (20 ms past it)
        timers.once(1000 - now % 1000 + 150, () -> sample().onComplete(ar -> {
            if (ar.failed()) {
                LOG.debug("sample failed: {}", ar.cause().toString());
            }
            schedule();
        }));
    }

    Future<Void> sample() {
        long now = clock.millis();
        long second = now / 1000 - LAG_SECONDS;
        List<Future<Figures>> newSeconds = new ArrayList<>();
        List<Future<Figures>> newWindows = new ArrayList<>();
        for (long s = Math.max(lastSecond + 1, second - 10); s <= second; s++) {
            newSeconds.add(reports.mergedSecond(s));
            if (s % 10 == 9) {
                newWindows.add(reports.mergedWindow(s / 10));
            }
        }
        lastSecond = Math.max(lastSecond, second);
        Future<Map<String, InstanceCard>> cards = reports.instances(now);
        List<Future<List<QueueState>>> queues = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            queues.add(queueState.read(s));
        }
        Map<Channel, Future<Response>> pauses = new TreeMap<>();
        for (Channel c : Channel.values()) {
            pauses.put(c, redis.send(Request.cmd(Command.PTTL).arg(Keys.pause(c))));
        }
        if (second % ConsoleGauges.MEMORY_EVERY_SECONDS == 0) {
            gauges.readMemory(redis);
        }
        return Future.all(List.of(Future.all(newSeconds), Future.all(newWindows), cards, Future.all(queues),
                Future.all(new ArrayList<>(pauses.values())))).map(x -> {
            JsonArray points = new JsonArray();
            for (Future<Figures> f : newSeconds) {
                history.addSecond(f.result());
                points.add(History.point(f.result()));
            }
            JsonArray windowPoints = new JsonArray();
            for (Future<Figures> f : newWindows) {
                history.addWindow(f.result());
                windowPoints.add(History.point(f.result()));
            }
            List<QueueState> all = new ArrayList<>();
            queues.forEach(q -> all.addAll(q.result()));
            last = Snapshot.build(now, second, points, windowPoints, history.summary(), cards.result(), all, pauses);
            pauses.forEach((c, f) -> gauges.paused(c, f.result() != null && f.result().toLong() > 0));
            feed.broadcast("snapshot", last);
            return null;
        });
    }
}

package io.groupwire.core.report;

import io.groupwire.core.json.Json;
import io.groupwire.core.metrics.LatencyTapRegistry;
import io.groupwire.core.metrics.MetricNames;
import io.groupwire.core.queue.Timers;
import io.groupwire.core.redis.Keys;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports one service instance through Redis once a second, just after each whole second: its
 * {@link InstanceCard card} (expiring after {@value #CARD_TTL_MILLIS} ms, so that a dead instance
 * vanishes) and the {@link Figures} of the second that ended (counts from the service's meters and
 * the delivery latencies of a {@link LatencyTapRegistry}), and every ten seconds those of the
 * ten-second window, each kept for an hour ({@value #RETENTION_SECONDS} s). It also measures the age
 * of the oldest entry waiting in each queue the instance owns and shows it as the gauge
 * {@link MetricNames#OLDEST_WAITING_AGE}, tag {@code queue} (mailbox or the channel).
 *
 * <p>A service starts it when it starts and {@link #stop stops} it when it stops, nothing more; a
 * report that Redis refuses is dropped (the next one carries the totals on), never the service's
 * problem. Timers fire on the context that started the reporter.
 */
public final class InstanceReporter {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceReporter.class);
    /** A card lives this long without being rewritten: five missed seconds and the instance is gone. */
    public static final long CARD_TTL_MILLIS = 5_000;
    /** How long a second's or a window's figures are kept: the history is a ring of the last hour. */
    public static final long RETENTION_SECONDS = 3_600;
    /** Past the whole second, so that every instance's second has ended when it reports it. */
    private static final long TICK_OFFSET_MILLIS = 20;
    private static final Pattern ACCEPTED_AT = Pattern.compile("\"accepted_at_millis\":(\\d+)");
    private static final String VERSION = version();

    private final Redis redis;
    private final MeterRegistry registry;
    private final Supplier<List<String>> owned;
    private final Clock clock;
    private final ReportScript script;
    private final Timers timers;
    private final String role;
    private final String id;
    private final String host;
    private final long startedAtMillis;
    private final Map<String, AtomicLong> oldestGauges = new HashMap<>();
    private Map<String, Long> previousTotals = Map.of();
    private Map<String, Long> oldestAges = Map.of();
    private long lastSecond;
    private Figures window;
    private boolean reportFailed;

    private InstanceReporter(Vertx vertx, Redis redis, String role, String id, MeterRegistry registry,
                             Supplier<List<String>> owned, Clock clock) {
        this.redis = redis;
        this.registry = registry;
        this.owned = owned;
        this.clock = clock;
        this.script = new ReportScript(redis);
        this.timers = new Timers(vertx);
        this.role = role;
        this.host = hostName();
        this.id = id != null ? id : host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 4);
        this.startedAtMillis = clock.millis();
        this.lastSecond = startedAtMillis / 1000 - 1;
        // what the service counted before the reporter started is not this instance's first second
        this.previousTotals = RegistryFigures.totals(registry);
    }

    /**
     * Starts reporting on the calling context.
     *
     * @param role     gateway, transport or pacer
     * @param id       the instance id (a worker id); null makes one from the host, the pid and a random suffix
     * @param registry the service's meters (a {@link LatencyTapRegistry} to report latencies)
     * @param owned    the keys of the queues whose lease the instance holds now (an empty list for a gateway)
     */
    public static InstanceReporter start(Vertx vertx, Redis redis, String role, String id, MeterRegistry registry,
                                         Supplier<List<String>> owned) {
        return start(vertx, redis, role, id, registry, owned, Clock.systemUTC());
    }

    static InstanceReporter start(Vertx vertx, Redis redis, String role, String id, MeterRegistry registry,
                                  Supplier<List<String>> owned, Clock clock) {
        InstanceReporter r = new InstanceReporter(vertx, redis, role, id, registry, owned, clock);
        r.schedule();
        return r;
    }

    /** The instance's name in the report: {@code ROLE:ID}. */
    public String member() {
        return InstanceCard.member(role, id);
    }

    /** Stops reporting and removes the instance's card at once (its figures stay for their hour). */
    public Future<Void> stop() {
        timers.cancelAll();
        return Future.all(redis.send(Request.cmd(Command.DEL).arg(Keys.reportCard(member()))),
                        redis.send(Request.cmd(Command.ZREM).arg(Keys.reportInstances()).arg(member())))
                .<Void>mapEmpty()
                .recover(e -> Future.succeededFuture());
    }

    private void schedule() {
        long now = clock.millis();
        timers.once(1000 - now % 1000 + TICK_OFFSET_MILLIS, () -> {
            tick();
            schedule();
        });
    }

    private void tick() {
        List<String> queues = owned.get();
        measureOldest(queues).onComplete(ar -> report(queues));
    }

    private void report(List<String> queues) {
        long now = clock.millis();
        // a tick that came late covers the seconds it missed under the next label: labels never repeat
        long second = Math.max(now / 1000 - 1, lastSecond + 1);
        lastSecond = second;
        Map<String, Long> totals = RegistryFigures.totals(registry);
        Map<String, Long> delta = new TreeMap<>();
        totals.forEach((k, v) -> delta.put(k, v - previousTotals.getOrDefault(k, 0L)));
        previousTotals = totals;
        Map<String, Histogram> latency = registry instanceof LatencyTapRegistry tap ? tap.intervals() : Map.of();
        Figures figures = new Figures(second, 1, delta, latency);

        List<Figures> windows = new ArrayList<>(1);
        if (window != null && window.start() != second / 10 * 10) {
            windows.add(window);
            window = null;
        }
        window = window == null ? Figures.merge(second / 10 * 10, 10, List.of(figures)) : window.plus(figures);
        if (second % 10 == 9) {
            windows.add(window);
            window = null;
        }
        InstanceCard card = new InstanceCard(role, id, host, ProcessHandle.current().pid(), VERSION, startedAtMillis, now,
                queues, totals, oldestAges);
        String cardJson = Json.write(card);
        Future<Void> written = script.report(member(), now, CARD_TTL_MILLIS, cardJson, figures,
                windows.isEmpty() ? null : windows.get(0), RETENTION_SECONDS);
        for (int i = 1; i < windows.size(); i++) {
            Figures w = windows.get(i);
            written = written.compose(v -> script.report(member(), now, CARD_TTL_MILLIS, cardJson, figures, w, RETENTION_SECONDS));
        }
        written.onComplete(ar -> {
            if (ar.failed() && !reportFailed) {
                LOG.warn("{} could not write its report (further failures are not logged until one succeeds): {}",
                        member(), ar.cause().toString());
            }
            reportFailed = ar.failed();
        });
    }

    /** Reads the entry next to be claimed of every owned queue: how long the oldest waiting entry has waited, per kind. */
    private Future<Void> measureOldest(List<String> queues) {
        if (queues.isEmpty() && oldestGauges.isEmpty()) {
            return Future.succeededFuture();
        }
        Map<String, Future<Response>> heads = new HashMap<>();
        for (String q : queues) {
            heads.put(q, redis.send(Request.cmd(Command.LINDEX).arg(q).arg(-1)));
        }
        return Future.join(new ArrayList<>(heads.values())).transform(ar -> {
            long now = clock.millis();
            Map<String, Long> ages = new TreeMap<>();
            heads.forEach((q, f) -> {
                long age = f.succeeded() ? ageOf(f.result(), now) : 0;
                ages.merge(kind(q), age, Math::max);
            });
            oldestAges = ages;
            ages.forEach((kind, age) -> gauge(kind).set(age));
            oldestGauges.forEach((kind, g) -> {
                if (!ages.containsKey(kind)) {
                    g.set(0);
                }
            });
            return Future.succeededFuture();
        });
    }

    private AtomicLong gauge(String kind) {
        return oldestGauges.computeIfAbsent(kind, k -> {
            AtomicLong millis = new AtomicLong();
            registry.gauge(MetricNames.OLDEST_WAITING_AGE, Tags.of("queue", k), millis, m -> m.get() / 1000.0);
            return millis;
        });
    }

    static long ageOf(Response head, long now) {
        if (head == null) {
            return 0;
        }
        Matcher m = ACCEPTED_AT.matcher(head.toString());
        return m.find() ? Math.max(0, now - Long.parseLong(m.group(1))) : 0;
    }

    /** {@code gw:{s3}:mailbox} is a mailbox, {@code gw:{s3}:outbox:apns} an apns outbox. */
    static String kind(String queueKey) {
        int outbox = queueKey.indexOf(":outbox:");
        return outbox >= 0 ? queueKey.substring(outbox + ":outbox:".length()) : "mailbox";
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String version() {
        try (InputStream in = InstanceReporter.class.getResourceAsStream("/io/groupwire/core/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}

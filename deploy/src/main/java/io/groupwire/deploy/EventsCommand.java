package io.groupwire.deploy;

import io.groupwire.core.config.Env;
import io.groupwire.core.events.ConsumerLag;
import io.groupwire.core.events.EventStream;
import io.groupwire.core.redis.RedisSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code groupwire.jar events lag} prints each consumer group's lag over all shards;
 * {@code groupwire.jar events replay --group notifier|counters --from <time|id|start>} rewinds a
 * group so that it reads again every entry from that time (ISO-8601 or epoch ms) or stream id on:
 * the gameday rehearsal. The consumers' idempotency makes a replay notify and count nothing twice.
 */
final class EventsCommand {
    static final List<String> GROUPS = List.of("notifier", "counters");
    /** The largest sequence number of a stream id. */
    private static final String MAX_SEQ = "18446744073709551615";

    private EventsCommand() {
    }

    static int run(List<String> args, Env env, PrintStream out, PrintStream err) {
        if (args.isEmpty() || !List.of("lag", "replay").contains(args.get(0))) {
            err.println("usage: groupwire.jar events lag | events replay --group notifier|counters --from <time|id|start>");
            return 2;
        }
        String group = null;
        String from = null;
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--group") && i + 1 < args.size()) {
                group = args.get(++i);
            } else if (a.equals("--from") && i + 1 < args.size()) {
                from = args.get(++i);
            } else {
                err.println("unknown argument " + a);
                return 2;
            }
        }
        String lastDelivered = null;
        if (args.get(0).equals("replay")) {
            if (group == null || !GROUPS.contains(group) || from == null) {
                err.println("events replay needs --group notifier|counters and --from <time|id|start>");
                return 2;
            }
            lastDelivered = before(from);
            if (lastDelivered == null) {
                err.println("--from takes an ISO-8601 time, epoch milliseconds, a stream id (ms-seq) or start");
                return 2;
            }
        }
        RedisSettings settings = RedisSettings.fromEnv(env);
        Vertx vertx = Vertx.vertx();
        Redis redis = Redis.createClient(vertx, settings.toOptions());
        try {
            if (lastDelivered != null) {
                await(new EventStream(redis, group).rewind(settings.shards(), lastDelivered));
                out.printf("%s rewound on %d shards: it reads again every entry after %s%n", group, settings.shards(), lastDelivered);
            } else {
                ConsumerLag lag = new ConsumerLag(redis, settings.shards());
                out.printf("%-10s %12s %10s %14s%n", "group", "undelivered", "pending", "oldest age s");
                for (String g : GROUPS) {
                    ConsumerLag.Lag l = await(lag.of(g, System.currentTimeMillis()));
                    out.printf("%-10s %12d %10d %14.1f%n", g, l.undelivered(), l.pending(), l.oldestAgeSeconds());
                }
            }
            return 0;
        } catch (Exception e) {
            err.println("events: " + e.getMessage() + " (Redis " + settings.describe() + ")");
            return 1;
        } finally {
            redis.close();
            vertx.close();
        }
    }

    /** The last-delivered id that makes the next read start at {@code from}; null when it is no time or id. */
    static String before(String from) {
        if (from.equals("start")) {
            return "0";
        }
        long ms;
        long seq = 0;
        try {
            if (from.matches("\\d+-\\d+")) {
                ms = Long.parseLong(from.substring(0, from.indexOf('-')));
                seq = Long.parseLong(from.substring(from.indexOf('-') + 1));
            } else if (from.matches("\\d+")) {
                ms = Long.parseLong(from);
            } else {
                ms = Instant.parse(from).toEpochMilli();
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            return null;
        }
        if (seq > 0) {
            return ms + "-" + (seq - 1);
        }
        return ms == 0 ? "0" : (ms - 1) + "-" + MAX_SEQ;
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}

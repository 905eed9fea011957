package io.groupwire.core.events;

import io.groupwire.core.redis.Keys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How far a consumer group is behind, over all shards: entries not yet delivered, entries delivered
 * and not acknowledged, and the age of the oldest of either. Uses Redis 7's {@code lag} from
 * {@code XINFO GROUPS} when present; on Redis 6.2 counts the entries after the group's last
 * delivered id (up to {@link #COUNT_CAP} per shard).
 */
public final class ConsumerLag {
    /** Beyond this many undelivered entries per shard, Redis 6.2's count stops (the figure is then a floor). */
    public static final int COUNT_CAP = 10_000;

    /** A group's lag. */
    public record Lag(String group, long undelivered, long pending, double oldestAgeSeconds) {
    }

    private final Redis redis;
    private final int shards;

    public ConsumerLag(Redis redis, int shards) {
        this.redis = redis;
        this.shards = shards;
    }

    public Future<Lag> of(String group, long nowMillis) {
        List<Future<long[]>> perShard = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            perShard.add(shard(s, group, nowMillis));
        }
        return Future.all(perShard).map(all -> {
            long undelivered = 0;
            long pending = 0;
            long oldest = Long.MAX_VALUE;
            for (Future<long[]> f : perShard) {
                undelivered += f.result()[0];
                pending += f.result()[1];
                oldest = Math.min(oldest, f.result()[2]);
            }
            return new Lag(group, undelivered, pending, oldest == Long.MAX_VALUE ? 0 : Math.max(0, nowMillis - oldest) / 1000.0);
        });
    }

    /** {undelivered, pending, oldest waiting entry's ms or Long.MAX_VALUE}. */
    private Future<long[]> shard(int shard, String group, long nowMillis) {
        String key = Keys.events(shard);
        return redis.send(Request.cmd(Command.XINFO).arg("GROUPS").arg(key)).recover(err -> Future.succeededFuture(null))
                .compose(groups -> {
                    Map<String, Response> info = find(groups, group);
                    if (info == null) {
                        return Future.succeededFuture(new long[] {0, 0, Long.MAX_VALUE});
                    }
                    String last = info.get("last-delivered-id").toString();
                    long pending = info.get("pending").toLong();
                    Response lag = info.get("lag");
                    Future<Response> next = redis.send(Request.cmd(Command.XRANGE).arg(key).arg("(" + last).arg("+")
                            .arg("COUNT").arg(lag != null && lag.type() != null ? 1 : COUNT_CAP));
                    Future<Response> oldestPending = pending == 0 ? Future.succeededFuture(null)
                            : redis.send(Request.cmd(Command.XPENDING).arg(key).arg(group));
                    return Future.all(next, oldestPending).map(x -> {
                        Response after = next.result();
                        long undelivered = lag != null && lag.type() != null ? lag.toLong() : after.size();
                        long oldest = Long.MAX_VALUE;
                        if (after.size() > 0) {
                            oldest = EventEntry.millisOf(after.get(0).get(0).toString());
                        }
                        Response p = oldestPending.result();
                        if (p != null && p.size() > 1 && p.get(1) != null) {
                            oldest = Math.min(oldest, EventEntry.millisOf(p.get(1).toString()));
                        }
                        return new long[] {undelivered, pending, oldest};
                    });
                });
    }

    private static Map<String, Response> find(Response groups, String group) {
        if (groups == null) {
            return null;
        }
        for (Response g : groups) {
            Map<String, Response> m = new HashMap<>();
            if (g.isMap()) {
                for (String k : g.getKeys()) {
                    m.put(k, g.get(k));
                }
            } else {
                for (int i = 0; i + 1 < g.size(); i += 2) {
                    m.put(g.get(i).toString(), g.get(i + 1));
                }
            }
            if (m.get("name") != null && group.equals(m.get("name").toString())) {
                return m;
            }
        }
        return null;
    }
}

package io.groupwire.core.events;

import io.groupwire.core.redis.Keys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A consumer group's view of the shards' event streams: creates the group, reads new entries,
 * claims the entries other consumers (or this one) left pending too long, tells how often each was
 * delivered, and trims the streams by age. Answers both RESP2 and RESP3 forms.
 */
public final class EventStream {
    private final Redis redis;
    private final String group;

    public EventStream(Redis redis, String group) {
        this.redis = redis;
        this.group = group;
    }

    public String group() {
        return group;
    }

    /** Creates the consumer group on the shard's stream (and the stream) unless it exists; new groups start at the beginning. */
    public Future<Void> ensureGroup(int shard) {
        return redis.send(Request.cmd(Command.XGROUP).arg("CREATE").arg(Keys.events(shard)).arg(group).arg("0").arg("MKSTREAM"))
                .<Void>mapEmpty()
                .recover(err -> err.getMessage() != null && err.getMessage().contains("BUSYGROUP")
                        ? Future.succeededFuture() : Future.failedFuture(err));
    }

    /** Up to {@code count} entries never delivered to the group, now delivered to {@code consumer}. */
    public Future<List<EventEntry>> read(int shard, String consumer, int count) {
        String key = Keys.events(shard);
        return redis.send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(group).arg(consumer).arg("COUNT").arg(count)
                .arg("STREAMS").arg(key).arg(">")).map(r -> {
                    if (r == null) {
                        return List.of();
                    }
                    Response entries = r.isMap() ? r.get(key) : r.get(0).get(1);
                    return entries(shard, entries);
                });
    }

    /** Claims for {@code consumer} up to {@code count} entries pending longer than {@code minIdleMillis}. */
    public Future<List<EventEntry>> claimIdle(int shard, String consumer, long minIdleMillis, int count) {
        return redis.send(Request.cmd(Command.XAUTOCLAIM).arg(Keys.events(shard)).arg(group).arg(consumer).arg(minIdleMillis)
                .arg("0-0").arg("COUNT").arg(count)).map(r -> entries(shard, r.get(1)));
    }

    /** How often each pending entry of the shard (up to {@code count}, oldest first) was delivered. */
    public Future<Map<String, Long>> deliveries(int shard, int count) {
        return redis.send(Request.cmd(Command.XPENDING).arg(Keys.events(shard)).arg(group).arg("-").arg("+").arg(count))
                .map(r -> {
                    Map<String, Long> out = new HashMap<>();
                    for (Response p : r) {
                        out.put(p.get(0).toString(), p.get(3).toLong());
                    }
                    return out;
                });
    }

    /** Acknowledges entries handled without a script of their own. */
    public Future<Void> ack(int shard, List<String> ids) {
        if (ids.isEmpty()) {
            return Future.succeededFuture();
        }
        Request req = Request.cmd(Command.XACK).arg(Keys.events(shard)).arg(group);
        ids.forEach(req::arg);
        return redis.send(req).mapEmpty();
    }

    /** Drops entries older than {@code minMillis} (approximately: whole macro nodes only). */
    public Future<Void> trimBefore(int shard, long minMillis) {
        return redis.send(Request.cmd(Command.XTRIM).arg(Keys.events(shard)).arg("MINID").arg("~").arg(minMillis + "-0"))
                .mapEmpty();
    }

    /** Moves the group's position on every shard so that the next read starts right after {@code lastDeliveredId}. */
    public Future<Void> rewind(int shards, String lastDeliveredId) {
        List<Future<Response>> all = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            all.add(redis.send(Request.cmd(Command.XGROUP).arg("SETID").arg(Keys.events(s)).arg(group).arg(lastDeliveredId)));
        }
        return Future.all(all).mapEmpty();
    }

    private static List<EventEntry> entries(int shard, Response entries) {
        List<EventEntry> out = new ArrayList<>();
        if (entries == null) {
            return out;
        }
        for (Response e : entries) {
            // Redis 6.2's XAUTOCLAIM answers a deleted entry as an id without fields
            if (e == null || e.size() < 2 || e.get(1) == null) {
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            Response f = e.get(1);
            if (f.isMap()) {
                for (String k : f.getKeys()) {
                    fields.put(k, f.get(k).toString());
                }
            } else {
                for (int i = 0; i + 1 < f.size(); i += 2) {
                    fields.put(f.get(i).toString(), f.get(i + 1).toString());
                }
            }
            out.add(new EventEntry(shard, e.get(0).toString(), fields));
        }
        return out;
    }
}

package io.groupwire.core.report;

import io.groupwire.core.json.Json;
import io.groupwire.core.redis.Keys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads what the instances reported ({@link InstanceReporter}): the live instances' cards, and the
 * figures of a second or a ten-second window, per instance or merged. Every read is a few commands
 * on the {@code {report}} slot, whatever the number of shards.
 */
public final class ReportReader {
    private final Redis redis;

    public ReportReader(Redis redis) {
        this.redis = redis;
    }

    /** The cards of the instances alive at {@code nowMillis}, by member ({@code ROLE:ID}). */
    public Future<Map<String, InstanceCard>> instances(long nowMillis) {
        return redis.send(Request.cmd(Command.ZRANGEBYSCORE).arg(Keys.reportInstances()).arg(nowMillis).arg("+inf"))
                .compose(members -> {
                    if (members == null || members.size() == 0) {
                        return Future.succeededFuture(Map.of());
                    }
                    Request mget = Request.cmd(Command.MGET);
                    List<String> names = new ArrayList<>();
                    for (Response m : members) {
                        names.add(m.toString());
                        mget.arg(Keys.reportCard(m.toString()));
                    }
                    return redis.send(mget).map(cards -> {
                        Map<String, InstanceCard> out = new TreeMap<>();
                        for (int i = 0; i < names.size(); i++) {
                            Response c = cards.get(i);
                            if (c != null) {
                                try {
                                    out.put(names.get(i), Json.read(c.toString(), InstanceCard.class));
                                } catch (IllegalArgumentException e) {
                                    // a card of a newer or broken writer: the instance is shown as missing
                                }
                            }
                        }
                        return out;
                    });
                });
    }

    /** Every instance's figures of one second, by member. */
    public Future<Map<String, Figures>> second(long epochSecond) {
        return hash(Keys.reportSecond(epochSecond));
    }

    /** Every instance's figures of one ten-second window ({@code epochSecond / 10}), by member. */
    public Future<Map<String, Figures>> window(long windowIndex) {
        return hash(Keys.reportTenSeconds(windowIndex));
    }

    /** The instances' figures of one second, merged. */
    public Future<Figures> mergedSecond(long epochSecond) {
        return second(epochSecond).map(all -> Figures.merge(epochSecond, 1, all.values()));
    }

    /** The instances' figures of one ten-second window, merged. */
    public Future<Figures> mergedWindow(long windowIndex) {
        return window(windowIndex).map(all -> Figures.merge(windowIndex * 10, 10, all.values()));
    }

    private Future<Map<String, Figures>> hash(String key) {
        return redis.send(Request.cmd(Command.HGETALL).arg(key)).map(r -> {
            Map<String, Figures> out = new TreeMap<>();
            if (r == null) {
                return out;
            }
            for (String member : r.getKeys()) {
                try {
                    out.put(member, Figures.decode(r.get(member).toString()));
                } catch (IllegalArgumentException e) {
                    // unreadable: left out rather than failing the whole second
                }
            }
            return out;
        });
    }
}

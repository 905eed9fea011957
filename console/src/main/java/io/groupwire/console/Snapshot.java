package io.groupwire.console;

import io.groupwire.core.message.Channel;
import io.groupwire.core.queue.QueueStateScript.QueueState;
import io.groupwire.core.report.InstanceCard;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds the JSON of one second's snapshot, as the page reads it. Holds no secret and no address. */
final class Snapshot {
    private Snapshot() {
    }

    static JsonObject build(long now, long second, JsonArray points, JsonArray windowPoints, JsonObject summary,
                            Map<String, InstanceCard> cards, List<QueueState> queues, Map<Channel, Future<Response>> pauses) {
        return new JsonObject()
                .put("now", now)
                .put("second", second)
                .put("points", points)
                .put("windowPoints", windowPoints)
                .put("summary", summary)
                .put("totals", totals(cards))
                .put("instances", instances(now, cards, queues))
                .put("queues", queueRows(now, queues))
                .put("queueTotals", queueTotals(now, queues))
                .put("providers", providers(pauses, queues));
    }

    /** The running totals of the live instances, summed. */
    private static JsonObject totals(Map<String, InstanceCard> cards) {
        Map<String, Long> sum = new TreeMap<>();
        for (InstanceCard c : cards.values()) {
            if (c.totals() != null) {
                c.totals().forEach((k, v) -> sum.merge(k, v, Long::sum));
            }
        }
        return new JsonObject(new TreeMap<>(sum));
    }

    private static JsonArray instances(long now, Map<String, InstanceCard> cards, List<QueueState> queues) {
        JsonArray out = new JsonArray();
        for (InstanceCard c : cards.values()) {
            JsonArray owned = new JsonArray();
            long soonest = Long.MAX_VALUE;
            for (QueueState q : queues) {
                if (!q.leaseHolder().isEmpty() && q.leaseHolder().equals(c.id()) && isRoleQueue(c.role(), q)) {
                    owned.add(q.queue() + "/" + q.shard());
                    soonest = Math.min(soonest, q.leaseMillisLeft());
                }
            }
            out.add(new JsonObject().put("member", c.member()).put("role", c.role()).put("id", c.id())
                    .put("host", c.host()).put("pid", c.pid()).put("version", c.version())
                    .put("startedAt", c.startedAtMillis()).put("lastSeenMs", Math.max(0, now - c.reportedAtMillis()))
                    .put("owned", owned)
                    .put("leaseMsLeft", soonest == Long.MAX_VALUE ? null : soonest)
                    .put("lapsing", soonest != Long.MAX_VALUE && soonest < Sampler.LAPSING_MILLIS));
        }
        return out;
    }

    private static boolean isRoleQueue(String role, QueueState q) {
        return role.equals("transport") ? q.queue().equals("mailbox") : !q.queue().equals("mailbox");
    }

    private static JsonArray queueRows(long now, List<QueueState> queues) {
        JsonArray out = new JsonArray();
        for (QueueState q : queues) {
            out.add(new JsonObject().put("shard", q.shard()).put("queue", q.queue()).put("depth", q.depth())
                    .put("inflight", q.inflight()).put("oldestAgeMs", age(now, q)).put("owner", q.leaseHolder())
                    .put("leaseMsLeft", q.leaseMillisLeft()).put("lapsing", lapsing(q))
                    .put("retrying", q.retrying()).put("dead", q.deadLetters()));
        }
        return out;
    }

    private static JsonObject queueTotals(long now, List<QueueState> queues) {
        JsonObject out = new JsonObject();
        for (QueueState q : queues) {
            JsonObject t = out.getJsonObject(q.queue());
            if (t == null) {
                t = new JsonObject().put("depth", 0L).put("inflight", 0L).put("oldestAgeMs", 0L).put("retrying", 0L)
                        .put("dead", 0L).put("unowned", 0L).put("lapsing", 0L);
                out.put(q.queue(), t);
            }
            t.put("depth", t.getLong("depth") + q.depth());
            t.put("inflight", t.getLong("inflight") + q.inflight());
            t.put("oldestAgeMs", Math.max(t.getLong("oldestAgeMs"), age(now, q)));
            t.put("retrying", t.getLong("retrying") + q.retrying());
            t.put("dead", t.getLong("dead") + q.deadLetters());
            t.put("unowned", t.getLong("unowned") + (q.leaseHolder().isEmpty() ? 1 : 0));
            t.put("lapsing", t.getLong("lapsing") + (lapsing(q) ? 1 : 0));
        }
        return out;
    }

    private static JsonObject providers(Map<Channel, Future<Response>> pauses, List<QueueState> queues) {
        JsonObject out = new JsonObject();
        pauses.forEach((c, f) -> {
            long pttl = f.result() == null ? -2 : f.result().toLong();
            long inflight = queues.stream().filter(q -> q.queue().equals(c.id())).mapToLong(QueueState::inflight).sum();
            out.put(c.id(), new JsonObject().put("pausedForMs", Math.max(0, pttl)).put("inflight", inflight));
        });
        return out;
    }

    private static long age(long now, QueueState q) {
        return q.oldestAcceptedAt() <= 0 ? 0 : Math.max(0, now - q.oldestAcceptedAt());
    }

    private static boolean lapsing(QueueState q) {
        return !q.leaseHolder().isEmpty() && q.leaseMillisLeft() >= 0 && q.leaseMillisLeft() < Sampler.LAPSING_MILLIS;
    }
}

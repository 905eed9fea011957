package io.groupwire.deploy.fault;

import static io.groupwire.core.testing.TestRedis.await;

import io.groupwire.core.json.DeliveryJson;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.Shards;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * What a pacer had in flight, two ways: its own gauge ({@code groupwire_pacer_sends_in_flight} on
 * /metrics, summed over channels) and, after a {@code kill -9}, what Redis holds of it: deliveries
 * claimed in the outboxes whose ledger still shows its {@code sending} mark. Read before the next
 * owner takes over (the lease has to run out first).
 */
final class InFlightMarks {
    private static final String GAUGE = "groupwire_pacer_sends_in_flight";

    private final Redis redis;
    private final Shards shards;
    private final ApiCalls api = new ApiCalls();

    InFlightMarks(Redis redis, Shards shards) {
        this.redis = redis;
        this.shards = shards;
    }

    /** The pacer's own count, or -1 when it does not answer. */
    long gauge(ServiceProcess pacer) {
        ApiCalls.Answer a = api.get(pacer.managementUrl(), "/metrics");
        if (a.status() != 200) {
            return -1;
        }
        long sum = 0;
        for (String line : a.body().getString("raw", "").split("\n")) {
            if (line.startsWith(GAUGE + "{")) {
                sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /**
     * Deliveries claimed in any outbox whose ledger still holds {@code worker}'s {@code sending}
     * mark: what it left in flight. Read all at once, right after the kill, before a next owner
     * takes the outboxes over (and marks them as its own).
     */
    long marksLeft(String worker) {
        String mark = "sending:" + worker + ":";
        List<Future<Response>> lists = new ArrayList<>();
        List<Integer> shardOf = new ArrayList<>();
        for (int shard = 0; shard < shards.count(); shard++) {
            for (Channel c : Channel.values()) {
                lists.add(redis.send(Request.cmd(Command.LRANGE).arg(Keys.outbox(shard, c).inflight()).arg(0).arg(-1)));
                shardOf.add(shard);
            }
        }
        await(Future.join(new ArrayList<>(lists)));
        List<Future<Response>> states = new ArrayList<>();
        for (int i = 0; i < lists.size(); i++) {
            if (lists.get(i).failed()) {
                continue;
            }
            for (Response entry : lists.get(i).result()) {
                Delivery d;
                try {
                    d = DeliveryJson.read(entry.toString());
                } catch (RuntimeException e) {
                    continue;
                }
                states.add(redis.send(Request.cmd(Command.HGET).arg(Keys.ledger(shardOf.get(i), d.messageId())).arg(d.id())));
            }
        }
        await(Future.join(new ArrayList<>(states)));
        return states.stream().filter(Future::succeeded).map(Future::result)
                .filter(state -> state != null && state.toString().startsWith(mark)).count();
    }
}

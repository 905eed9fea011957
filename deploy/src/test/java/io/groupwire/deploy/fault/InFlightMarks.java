package io.groupwire.deploy.fault;

import static io.groupwire.core.testing.TestRedis.await;

import io.groupwire.core.json.DeliveryJson;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.QueueKeys;
import io.groupwire.core.redis.Shards;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * What a pacer had in flight, two ways: its own gauge ({@code groupwire_pacer_sends_in_flight} on
 * /metrics, summed over channels) and, after a {@code kill -9}, what Redis holds of it: deliveries
 * claimed in the outboxes whose lease it still holds and whose ledger still shows its
 * {@code sending} mark. Read before the next owner takes over (the lease has to run out first).
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

    /** Deliveries that {@code worker} left marked {@code sending} in the outboxes it held. */
    long marksLeft(String worker) {
        String mark = "sending:" + worker + ":";
        long count = 0;
        for (int shard = 0; shard < shards.count(); shard++) {
            for (Channel c : Channel.values()) {
                QueueKeys outbox = Keys.outbox(shard, c);
                Response holder = await(redis.send(Request.cmd(Command.GET).arg(outbox.lease())));
                if (holder == null || !worker.equals(holder.toString())) {
                    continue;
                }
                for (Response entry : await(redis.send(Request.cmd(Command.LRANGE).arg(outbox.inflight()).arg(0).arg(-1)))) {
                    Delivery d;
                    try {
                        d = DeliveryJson.read(entry.toString());
                    } catch (RuntimeException e) {
                        continue;
                    }
                    Response state = await(redis.send(Request.cmd(Command.HGET).arg(Keys.ledger(shard, d.messageId())).arg(d.id())));
                    if (state != null && state.toString().startsWith(mark)) {
                        count++;
                    }
                }
            }
        }
        return count;
    }
}

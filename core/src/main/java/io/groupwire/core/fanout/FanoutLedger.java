package io.groupwire.core.fanout;

import io.groupwire.core.json.DeliveryJson;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.queue.LeaseLostException;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.groupwire.core.redis.QueueKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a claimed batch's deliveries into the shard's outboxes and acknowledges the claims in one
 * atomic script, guarded by one ledger per message: a delivery id already in the ledger is never
 * written twice, however often its message is claimed. This is the transport's exactly-once step.
 */
public final class FanoutLedger {
    private static final LuaScript FANOUT = LuaScript.load("fanout");

    private final Redis redis;
    private final int shard;
    private final QueueKeys mailbox;
    private final String worker;
    private final long ledgerTtlSeconds;

    /** @param ledgerTtl how long ledgers live: longer than the message TTL, so no live message loses its ledger */
    public FanoutLedger(Redis redis, int shard, String worker, Duration ledgerTtl) {
        this.redis = redis;
        this.shard = shard;
        this.mailbox = Keys.mailbox(shard);
        this.worker = worker;
        this.ledgerTtlSeconds = ledgerTtl.toSeconds();
    }

    /**
     * Applies the batch. Completes with the number of deliveries written per item (fewer than
     * planned means the rest were already in the ledger); fails with {@link LeaseLostException} if
     * the worker no longer owns the shard, in which case nothing was written.
     */
    public Future<List<Integer>> apply(FanoutBatch batch) {
        List<FanoutBatch.Item> items = batch.items();
        List<String> keys = new ArrayList<>(6 + items.size());
        keys.add(mailbox.inflight());
        keys.add(mailbox.lease());
        keys.add(Keys.deadLetters(shard, null));
        for (Channel c : Channel.values()) {
            keys.add(Keys.outbox(shard, c).queue());
        }
        List<String> args = new ArrayList<>();
        args.add(worker);
        args.add(Long.toString(ledgerTtlSeconds));
        for (FanoutBatch.Item item : items) {
            keys.add(Keys.ledger(shard, item.messageId() == null ? "-" : item.messageId()));
            args.add(item.raw());
            args.add(item.disposition().name().toLowerCase());
            args.add(Integer.toString(item.deliveries().size()));
            for (Delivery d : item.deliveries()) {
                args.add(d.id());
                args.add(Integer.toString(d.channel().ordinal()));
                args.add(DeliveryJson.write(d));
            }
        }
        return FANOUT.run(redis, keys, args).compose(r -> {
            if (r.type() == io.vertx.redis.client.ResponseType.NUMBER) {
                return Future.failedFuture(new LeaseLostException(mailbox.queue()));
            }
            List<Integer> written = new ArrayList<>(r.size());
            for (Response e : r) {
                written.add(e.toInteger());
            }
            return Future.succeededFuture(written);
        });
    }
}

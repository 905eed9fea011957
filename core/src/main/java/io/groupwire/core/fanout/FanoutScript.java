package io.groupwire.core.fanout;

import io.groupwire.core.json.DeliveryJson;
import io.groupwire.core.ledger.MessageTrace;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.queue.LeaseLostException;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.groupwire.core.redis.QueueKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayList;
import java.util.List;

/**
 * The typed side of {@code fanout.lua}: writes a claimed batch's deliveries into the shard's
 * outboxes under the messages' ledgers and acknowledges the claims, for the mailbox's lease holder only.
 */
final class FanoutScript {
    private static final LuaScript SCRIPT = LuaScript.load("fanout");
    /** The ledger key named for an item without a message id (poison): the script never touches it. */
    private static final String NO_MESSAGE = "-";

    private final Redis redis;
    private final int shard;
    private final QueueKeys mailbox;
    private final String worker;
    private final String ledgerTtlSeconds;

    FanoutScript(Redis redis, int shard, String worker, long ledgerTtlSeconds) {
        this.redis = redis;
        this.shard = shard;
        this.mailbox = Keys.mailbox(shard);
        this.worker = worker;
        this.ledgerTtlSeconds = Long.toString(ledgerTtlSeconds);
    }

    /**
     * Applies the items: completes with the number of deliveries written per item, or fails with
     * {@link LeaseLostException} when the lease is not held (nothing was written).
     */
    Future<List<Integer>> run(List<FanoutBatch.Item> items) {
        List<String> keys = new ArrayList<>(6 + items.size());
        keys.add(mailbox.inflight());
        keys.add(mailbox.lease());
        keys.add(Keys.deadLetters(shard, null));
        // in channel index order: the script finds channel i's outbox at the i-th outbox key
        for (Channel c : Channel.values()) {
            keys.add(Keys.outbox(shard, c).queue());
        }
        List<String> args = new ArrayList<>();
        args.add(worker);
        args.add(ledgerTtlSeconds);
        for (FanoutBatch.Item item : items) {
            keys.add(Keys.ledger(shard, item.messageId() == null ? NO_MESSAGE : item.messageId()));
            args.add(item.raw());
            args.add(item.disposition().name().toLowerCase());
            args.add(Integer.toString(item.deliveries().size()));
            args.add(item.deliveries().isEmpty() ? "" : MessageTrace.messageTrace(item.deliveries().get(0)));
            for (Delivery d : item.deliveries()) {
                args.add(d.id());
                args.add(Integer.toString(d.channel().ordinal()));
                args.add(DeliveryJson.write(d));
                args.add(MessageTrace.deliveryTrace(d));
            }
        }
        return SCRIPT.run(redis, keys, args).compose(r -> {
            // a number instead of the per-item list: the lease is not held
            if (r.type() == ResponseType.NUMBER) {
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

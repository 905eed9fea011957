package io.groupwire.core.events;

import io.groupwire.core.json.DeliveryJson;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The typed side of {@code notify_like.lua}: writes a like's push deliveries once per liker and
 * message and acknowledges the entry. The deliveries share one ledger per liked message
 * ({@code messageId}), so that the pacer records them like any other.
 */
public final class NotifyLikeScript {
    private static final LuaScript SCRIPT = LuaScript.load("notify_like");

    private final Redis redis;
    private final String group;
    private final String notifiedTtlSeconds;
    private final String ledgerTtlSeconds;

    public NotifyLikeScript(Redis redis, String group, Duration notifiedTtl, Duration ledgerTtl) {
        this.redis = redis;
        this.group = group;
        this.notifiedTtlSeconds = Long.toString(notifiedTtl.toSeconds());
        this.ledgerTtlSeconds = Long.toString(ledgerTtl.toSeconds());
    }

    /** Completes with the number of deliveries written (0 when the liker was notified before). */
    public Future<Integer> run(EventEntry e, String liker, String ledgerMessageId, List<Delivery> deliveries) {
        int shard = e.shard();
        List<String> keys = List.of(Keys.likesNotified(shard, e.field("group"), e.field("message")),
                Keys.ledger(shard, ledgerMessageId), Keys.outbox(shard, Channel.APNS).queue(),
                Keys.outbox(shard, Channel.FCM).queue(), Keys.events(shard));
        List<String> args = new ArrayList<>(List.of(group, e.id(), liker, notifiedTtlSeconds, ledgerTtlSeconds));
        for (Delivery d : deliveries) {
            if (d.channel() == Channel.SMS) {
                throw new IllegalArgumentException("like notifications are push only");
            }
            args.add(d.id());
            args.add(Integer.toString(d.channel().ordinal()));
            args.add(DeliveryJson.write(d));
        }
        return SCRIPT.run(redis, keys, args).map(r -> r.toInteger());
    }
}

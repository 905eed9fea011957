package io.groupwire.transport.events;

import io.groupwire.core.directory.Device;
import io.groupwire.core.directory.Directory;
import io.groupwire.core.directory.User;
import io.groupwire.core.events.EventEntry;
import io.groupwire.core.events.NotifyLikeScript;
import io.groupwire.core.json.Json;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.message.Message;
import io.groupwire.core.redis.Keys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The notifier consumer: a like.added becomes "Bob liked your message: …", pushed to each device of
 * the message's author through the shard's outboxes and the pacer. One notification per liker and
 * message, whatever the replays and crashes ({@code notify_like.lua} records the liker and writes the
 * deliveries in one step). The deliveries carry the liked message's id, so they share its collapse
 * id (likes of one message replace each other on the device) and its ledger; their TTL runs from
 * the like. Push only: an author without a device is not told.
 */
final class LikeNotifier implements EventHandler {
    static final String GROUP = "notifier";
    /** How much of the liked message the notification quotes. */
    static final int QUOTE_CHARS = 60;

    private final Redis redis;
    private final Directory directory;
    private final NotifyLikeScript script;
    private final Duration messageTtl;
    private final Clock clock;

    LikeNotifier(Redis redis, Directory directory, Duration messageTtl, Duration ledgerTtl, Clock clock) {
        this.redis = redis;
        this.directory = directory;
        this.messageTtl = messageTtl;
        this.clock = clock;
        // the likers notified are remembered as long as a like can still be notified, and then some
        this.script = new NotifyLikeScript(redis, GROUP, ledgerTtl, ledgerTtl);
    }

    @Override
    public String group() {
        return GROUP;
    }

    @Override
    public Future<Boolean> handle(EventEntry e) {
        if (!"like.added".equals(e.type())) {
            return Future.succeededFuture(false);
        }
        String liker = e.field("user");
        String author = e.field("author");
        long likedAt = Long.parseLong(e.field("at"));
        if (liker.equals(author) || clock.millis() - likedAt > messageTtl.toMillis()) {
            // one's own like tells nobody anything; a like older than the TTL is not delivered any more
            return Future.succeededFuture(false);
        }
        String groupId = e.field("group");
        String messageId = e.field("message");
        Future<Response> kept = redis.send(Request.cmd(Command.HGET).arg(Keys.historyMessages(e.shard(), groupId)).arg(messageId));
        Future<Response> groupName = redis.send(Request.cmd(Command.HGET).arg(Keys.group(e.shard(), groupId)).arg("name"));
        Future<User> likerUser = directory.user(liker);
        Future<List<Device>> devices = directory.devices(author);
        return Future.all(kept, groupName, likerUser, devices).compose(x -> {
            List<Delivery> out = new ArrayList<>();
            if (kept.result() != null) {
                Message liked = Json.read(kept.result().toString(), Message.class);
                String likerName = likerUser.result() == null ? "Someone" : likerUser.result().name();
                String text = likerName + " liked your message: " + quote(liked.text());
                for (Device d : devices.result()) {
                    out.add(delivery(messageId, groupId, groupName.result(), liker, author, d, text, likedAt));
                }
            }
            // no message (forgotten since) or no device: the liker is still recorded, nothing is sent
            return script.run(e, liker, messageId, out).map(true);
        });
    }

    private static Delivery delivery(String messageId, String groupId, Response groupName, String liker, String author,
                                     Device d, String text, long likedAt) {
        return Delivery.builder()
                .id(Delivery.idFor(messageId + "|like|" + liker, d.platform(), d.token()))
                .messageId(messageId).groupId(groupId).groupName(groupName == null ? null : groupName.toString())
                .senderId(liker).recipientId(author).deviceId(d.id()).channel(d.platform()).address(d.token())
                .text(text).acceptedAtMillis(likedAt).build();
    }

    static String quote(String text) {
        if (text == null) {
            return "";
        }
        return text.codePointCount(0, text.length()) <= QUOTE_CHARS ? text
                : text.substring(0, text.offsetByCodePoints(0, QUOTE_CHARS - 1)) + "…";
    }

}

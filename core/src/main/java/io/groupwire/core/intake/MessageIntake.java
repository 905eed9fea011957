package io.groupwire.core.intake;

import io.groupwire.core.json.Json;
import io.groupwire.core.message.Message;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.groupwire.core.redis.Shards;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Accepts messages into their group's mailbox: one atomic script checks the group, the sender's
 * membership, the source_guid and the high-water mark, and stores the message. The future
 * completes only after Redis answered, which is when the gateway may answer 202.
 */
public final class MessageIntake {
    private static final LuaScript ENQUEUE = LuaScript.load("enqueue");

    private final Redis redis;
    private final Shards shards;
    private final Clock clock;
    private final Duration guidTtl;
    private final long highWaterMark;

    /**
     * @param guidTtl       how long a source_guid is remembered (at least the message TTL)
     * @param highWaterMark mailbox length above which messages are refused (0 for no limit)
     */
    public MessageIntake(Redis redis, Shards shards, Clock clock, Duration guidTtl, long highWaterMark) {
        this.redis = Objects.requireNonNull(redis);
        this.shards = Objects.requireNonNull(shards);
        this.clock = Objects.requireNonNull(clock);
        this.guidTtl = guidTtl;
        this.highWaterMark = highWaterMark;
    }

    public Future<IntakeResult> accept(String groupId, String senderId, String sourceGuid, String text) {
        int shard = shards.of(groupId);
        Message message = new Message(newId(), groupId, senderId, sourceGuid, text, clock.millis());
        List<String> keys = List.of(Keys.group(shard, groupId), Keys.groupMembers(shard, groupId),
                Keys.guid(shard, senderId, sourceGuid), Keys.mailbox(shard).queue());
        List<String> args = List.of(senderId, Json.write(message), Long.toString(guidTtl.toSeconds()),
                Long.toString(highWaterMark));
        return ENQUEUE.run(redis, keys, args).map(MessageIntake::decode);
    }

    private static IntakeResult decode(Response r) {
        String status = r.get(0).toString();
        return switch (status) {
            case "accepted" -> new IntakeResult(IntakeResult.Status.ACCEPTED, Json.read(r.get(1).toString(), Message.class));
            case "duplicate" -> new IntakeResult(IntakeResult.Status.DUPLICATE, Json.read(r.get(1).toString(), Message.class));
            case "no_group" -> new IntakeResult(IntakeResult.Status.NO_GROUP, null);
            case "not_member" -> new IntakeResult(IntakeResult.Status.NOT_MEMBER, null);
            case "full" -> new IntakeResult(IntakeResult.Status.FULL, null);
            default -> throw new IllegalStateException("enqueue script answered " + status);
        };
    }

    /** Time-ordered, unique message ids: sortable by acceptance, safe to show to clients. */
    static String newId() {
        UUID u = UUID.randomUUID();
        return String.format("%012x%016x", System.currentTimeMillis(), u.getMostSignificantBits() ^ u.getLeastSignificantBits());
    }
}

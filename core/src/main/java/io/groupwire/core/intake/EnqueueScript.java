package io.groupwire.core.intake;

import io.groupwire.core.history.HistoryLimits;
import io.groupwire.core.json.MessageJson;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Message;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.groupwire.core.redis.NotReplicatedException;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The typed side of {@code enqueue.lua}: offers a batch of one shard's messages to its mailbox and
 * answers an {@link IntakeResult} per message. Owns the script's argument layout and the form of the
 * source_guid records it keeps ({@code id:acceptedAtMillis:use}, the use being {@link GuidUse}'s
 * {@code groupId:digest}; records from before digests end at the group).
 */
final class EnqueueScript {
    private static final LuaScript SCRIPT = LuaScript.load("enqueue");

    /**
     * When the script refuses messages for back-pressure, and how long an answer waits for replicas.
     *
     * @param mailboxHighWater  mailbox length above which messages are refused (0 for no limit)
     * @param outboxHighWater   outbox length (any channel of the shard) above which messages are refused (0 for no limit)
     * @param waitReplicas      replicas that must have the messages before they count as accepted (0: none)
     * @param waitTimeoutMillis how long to wait for them
     */
    record Settings(long mailboxHighWater, long outboxHighWater, int waitReplicas, long waitTimeoutMillis,
                    HistoryLimits history) {
        Settings(long mailboxHighWater, long outboxHighWater, int waitReplicas, long waitTimeoutMillis) {
            this(mailboxHighWater, outboxHighWater, waitReplicas, waitTimeoutMillis, HistoryLimits.DEFAULTS);
        }
    }

    private final Redis redis;
    private final GuidBuckets guids;
    private final Settings settings;

    EnqueueScript(Redis redis, GuidBuckets guids, Settings settings) {
        this.redis = redis;
        this.guids = guids;
        this.settings = settings;
    }

    /**
     * Offers {@code batch} (messages of {@code shard}, not empty) at {@code nowMillis}; completes with
     * their results in order, or fails with {@link NotReplicatedException} when replicas were asked
     * for and did not acknowledge in time.
     */
    Future<List<IntakeResult>> run(int shard, long nowMillis, List<Offer> batch) {
        List<String> buckets = guids.keys(shard, nowMillis);
        List<String> keys = new ArrayList<>(4 + buckets.size() + 8);
        List<String> args = new ArrayList<>(4 + batch.size() * 5);
        keys.add(Keys.mailbox(shard).queue());
        // in channel order: the script reads the outboxes as the keys after the mailbox
        for (Channel c : Channel.values()) {
            keys.add(Keys.outbox(shard, c).queue());
        }
        keys.add(Keys.events(shard));
        keys.addAll(buckets);
        args.add(Integer.toString(buckets.size()));
        args.add(Long.toString(guids.currentTtlSeconds(nowMillis)));
        args.add(Long.toString(settings.mailboxHighWater()));
        args.add(Long.toString(settings.outboxHighWater()));
        HistoryLimits history = settings.history();
        args.add(Integer.toString(history.maxMessages()));
        args.add(Long.toString(history.ttl().toSeconds()));
        args.add(Long.toString(nowMillis));
        args.add(Long.toString(history.streamMaxLength()));
        // each group's keys and each (group, sender) once per batch: a batch is mostly a few busy
        // groups; the script refers to them by their 1-based position
        Map<String, Integer> groupIndex = new HashMap<>();
        Map<List<String>, Integer> senderIndex = new HashMap<>();
        List<String> senders = new ArrayList<>();
        List<String> perMessage = new ArrayList<>(batch.size() * 4);
        for (Offer o : batch) {
            Message m = o.message();
            Integer g = groupIndex.get(m.groupId());
            if (g == null) {
                g = groupIndex.size() + 1;
                groupIndex.put(m.groupId(), g);
                keys.add(Keys.group(shard, m.groupId()));
                keys.add(Keys.groupMembers(shard, m.groupId()));
                keys.add(Keys.history(shard, m.groupId()));
                keys.add(Keys.historyMessages(shard, m.groupId()));
            }
            Integer who = senderIndex.get(List.of(m.groupId(), m.senderId()));
            if (who == null) {
                who = senderIndex.size() + 1;
                senderIndex.put(List.of(m.groupId(), m.senderId()), who);
                senders.add(g.toString());
                senders.add(m.senderId());
            }
            perMessage.add(who.toString());
            perMessage.add(GuidBuckets.field(m.senderId(), m.sourceGuid()));
            perMessage.add(MessageJson.write(m));
            perMessage.add(guidRecord(o));
        }
        args.add(Integer.toString(senderIndex.size()));
        args.addAll(senders);
        args.addAll(perMessage);
        return SCRIPT.runReplicated(redis, keys, args, settings.waitReplicas(), settings.waitTimeoutMillis())
                .map(reply -> results(batch, reply));
    }

    /**
     * The reply {@code {codes, prior...}}: one code character per message, and for each duplicate,
     * in order, the guid record of the first message sent with its source_guid.
     */
    private static List<IntakeResult> results(List<Offer> batch, Response reply) {
        String codes = reply.get(0).toString();
        List<IntakeResult> out = new ArrayList<>(batch.size());
        int prior = 1;
        for (int i = 0; i < batch.size(); i++) {
            Message m = batch.get(i).message();
            out.add(switch (codes.charAt(i)) {
                case 'A' -> new IntakeResult(IntakeResult.Status.ACCEPTED, m);
                case 'D' -> new IntakeResult(IntakeResult.Status.DUPLICATE, first(m, reply.get(prior++).toString()));
                case 'G' -> new IntakeResult(IntakeResult.Status.NO_GROUP, null);
                case 'M' -> new IntakeResult(IntakeResult.Status.NOT_MEMBER, null);
                case 'F' -> new IntakeResult(IntakeResult.Status.FULL, null);
                case 'C' -> new IntakeResult(IntakeResult.Status.CONFLICT, null);
                default -> throw new IllegalStateException("enqueue script answered " + codes.charAt(i));
            });
        }
        return out;
    }

    /** What the script stores for an accepted message's source_guid: the script compares what follows the second colon. */
    private static String guidRecord(Offer o) {
        return o.message().id() + ":" + o.message().acceptedAtMillis() + ":" + o.use();
    }

    /** The first message sent with a source_guid, rebuilt from its {@link #guidRecord}. */
    private static Message first(Message retry, String record) {
        String[] parts = record.split(":", 3);
        String group = parts.length == 3 ? GuidUse.group(parts[2]) : retry.groupId();
        return new Message(parts[0], group, retry.senderId(), retry.sourceGuid(), retry.text(), Long.parseLong(parts[1]));
    }
}

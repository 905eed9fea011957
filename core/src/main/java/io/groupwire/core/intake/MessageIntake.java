package io.groupwire.core.intake;

import io.groupwire.core.json.MessageJson;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Message;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.groupwire.core.redis.NotReplicatedException;
import io.groupwire.core.redis.Shards;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Accepts messages into their group's mailbox. One atomic script checks each message's group, the
 * sender's membership, the source_guid and the high-water mark, and stores it; the future
 * completes only after Redis answered, which is when the gateway may answer 202.
 *
 * <p>Group commit: while a shard's script call is in flight, further messages for that shard wait
 * and then go together in the next call. An idle system adds no delay; a busy one makes one round
 * trip per batch instead of per message. Safe to call from any thread.
 */
public final class MessageIntake {
    private static final LuaScript ENQUEUE = LuaScript.load("enqueue");
    private static final int MAX_BATCH = 256;

    private record Pending(Message message, Promise<IntakeResult> promise) {
    }

    private final Redis redis;
    private final Shards shards;
    private final Clock clock;
    private final GuidBuckets guids;
    private final long highWaterMark;
    private final long outboxHighWaterMark;
    private final int waitReplicas;
    private final long waitTimeoutMillis;
    private final ShardQueue[] queues;
    private final long callTimeoutMillis;

    /**
     * @param guidTtl       how long a source_guid is remembered (at least the message TTL)
     * @param highWaterMark mailbox length above which messages are refused (0 for no limit)
     */
    public MessageIntake(Redis redis, Shards shards, Clock clock, Duration guidTtl, long highWaterMark) {
        this(redis, shards, clock, guidTtl, highWaterMark, 0);
    }

    /**
     * @param guidTtl             how long a source_guid is remembered (at least the message TTL)
     * @param highWaterMark       mailbox length above which messages are refused (0 for no limit)
     * @param outboxHighWaterMark outbox length (any channel of the shard) above which messages are
     *                            refused (0 for no limit)
     */
    public MessageIntake(Redis redis, Shards shards, Clock clock, Duration guidTtl, long highWaterMark,
                         long outboxHighWaterMark) {
        this(redis, shards, clock, guidTtl, highWaterMark, outboxHighWaterMark, 0, Duration.ZERO);
    }

    /**
     * As above, and with {@code waitReplicas > 0} a message counts as accepted only once that many
     * replicas acknowledged it (Redis WAIT, up to {@code waitTimeout}); otherwise its future fails
     * with {@link NotReplicatedException}. The message may then still be delivered: a retry with
     * the same source_guid is answered with the first message, so retrying is safe.
     */
    public MessageIntake(Redis redis, Shards shards, Clock clock, Duration guidTtl, long highWaterMark,
                         long outboxHighWaterMark, int waitReplicas, Duration waitTimeout) {
        this(redis, shards, clock, guidTtl, highWaterMark, outboxHighWaterMark, waitReplicas, waitTimeout, Duration.ZERO);
    }

    /**
     * As above, and a script call that has not answered within {@code callTimeout} (0: no bound)
     * fails its messages with a {@link java.util.concurrent.TimeoutException} and frees the shard for
     * the next batch. Without
     * it, a call whose answer never comes (the Vert.x client can lose a batch's answer when the
     * connection dies under it) would hold every later message of the shard forever.
     */
    public MessageIntake(Redis redis, Shards shards, Clock clock, Duration guidTtl, long highWaterMark,
                         long outboxHighWaterMark, int waitReplicas, Duration waitTimeout, Duration callTimeout) {
        this.callTimeoutMillis = callTimeout.toMillis();
        this.redis = Objects.requireNonNull(redis);
        this.shards = Objects.requireNonNull(shards);
        this.clock = Objects.requireNonNull(clock);
        this.guids = new GuidBuckets(guidTtl);
        this.highWaterMark = highWaterMark;
        this.outboxHighWaterMark = outboxHighWaterMark;
        this.waitReplicas = waitReplicas;
        this.waitTimeoutMillis = waitTimeout.toMillis();
        this.queues = new ShardQueue[shards.count()];
        for (int i = 0; i < queues.length; i++) {
            queues[i] = new ShardQueue(i);
        }
    }

    public Future<IntakeResult> accept(String groupId, String senderId, String sourceGuid, String text) {
        Message message = new Message(newId(), groupId, senderId, sourceGuid, text, clock.millis());
        Promise<IntakeResult> promise = Promise.promise();
        queues[shards.of(groupId)].offer(new Pending(message, promise));
        return promise.future();
    }

    /** The messages of one shard waiting for, or riding in, a script call. */
    private final class ShardQueue {
        private final int shard;
        private List<Pending> waiting = new ArrayList<>();
        private boolean inFlight;

        ShardQueue(int shard) {
            this.shard = shard;
        }

        void offer(Pending p) {
            List<Pending> batch;
            synchronized (this) {
                waiting.add(p);
                if (inFlight) {
                    return;
                }
                batch = take();
            }
            send(batch);
        }

        private List<Pending> take() {
            List<Pending> batch;
            if (waiting.size() <= MAX_BATCH) {
                batch = waiting;
                waiting = new ArrayList<>();
            } else {
                batch = new ArrayList<>(waiting.subList(0, MAX_BATCH));
                waiting = new ArrayList<>(waiting.subList(MAX_BATCH, waiting.size()));
            }
            inFlight = !batch.isEmpty();
            return batch;
        }

        private void send(List<Pending> batch) {
            long now = clock.millis();
            List<String> buckets = guids.keys(shard, now);
            List<String> keys = new ArrayList<>(4 + buckets.size() + 8);
            List<String> args = new ArrayList<>(4 + batch.size() * 5);
            keys.add(Keys.mailbox(shard).queue());
            for (Channel c : Channel.values()) {
                keys.add(Keys.outbox(shard, c).queue());
            }
            keys.addAll(buckets);
            args.add(Integer.toString(buckets.size()));
            args.add(Long.toString(guids.currentTtlSeconds(now)));
            args.add(Long.toString(highWaterMark));
            args.add(Long.toString(outboxHighWaterMark));
            // each group's keys and each (group, sender) once per batch: a batch is mostly a few busy groups
            Map<String, Integer> groupIndex = new HashMap<>();
            Map<List<String>, Integer> senderIndex = new HashMap<>();
            List<String> senders = new ArrayList<>();
            List<String> perMessage = new ArrayList<>(batch.size() * 4);
            for (Pending p : batch) {
                Message m = p.message();
                Integer g = groupIndex.get(m.groupId());
                if (g == null) {
                    g = groupIndex.size() + 1;
                    groupIndex.put(m.groupId(), g);
                    keys.add(Keys.group(shard, m.groupId()));
                    keys.add(Keys.groupMembers(shard, m.groupId()));
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
                perMessage.add(m.id() + ":" + m.acceptedAtMillis() + ":" + m.groupId());
            }
            args.add(Integer.toString(senderIndex.size()));
            args.addAll(senders);
            args.addAll(perMessage);
            Future<Response> answer = enqueue(keys, args);
            if (callTimeoutMillis > 0) {
                answer = answer.timeout(callTimeoutMillis, TimeUnit.MILLISECONDS);
            }
            answer.onComplete(ar -> finish(batch, ar));
        }

        /** Answers the batch's messages (with the script's answer, or its failure or timeout), then sends the next batch. */
        private void finish(List<Pending> batch, AsyncResult<Response> ar) {
            String codes = ar.succeeded() ? ar.result().get(0).toString() : null;
            int prior = 1;
            for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                if (ar.failed()) {
                    p.promise().fail(ar.cause());
                    continue;
                }
                char code = codes.charAt(i);
                try {
                    p.promise().complete(decode(code, p.message(), code == 'D' ? ar.result().get(prior++).toString() : null));
                } catch (RuntimeException e) {
                    p.promise().fail(e);
                }
            }
            List<Pending> next;
            synchronized (this) {
                next = take();
            }
            if (!next.isEmpty()) {
                send(next);
            }
        }
    }

    /** The script's answer, after the replicas acknowledged it when that is asked for. */
    private Future<Response> enqueue(List<String> keys, List<String> args) {
        return ENQUEUE.runReplicated(redis, keys, args, waitReplicas, waitTimeoutMillis);
    }

    private static IntakeResult decode(char code, Message message, String priorRecord) {
        return switch (code) {
            case 'A' -> new IntakeResult(IntakeResult.Status.ACCEPTED, message);
            case 'D' -> new IntakeResult(IntakeResult.Status.DUPLICATE, first(message, priorRecord));
            case 'G' -> new IntakeResult(IntakeResult.Status.NO_GROUP, null);
            case 'M' -> new IntakeResult(IntakeResult.Status.NOT_MEMBER, null);
            case 'F' -> new IntakeResult(IntakeResult.Status.FULL, null);
            default -> throw new IllegalStateException("enqueue script answered " + code);
        };
    }

    /**
     * The first message sent with a source_guid, rebuilt from its record {@code id:acceptedAtMillis:groupId}
     * (the group is the first message's: a sender may reuse a guid in another group by mistake).
     */
    private static Message first(Message retry, String record) {
        String[] parts = record.split(":", 3);
        String group = parts.length == 3 ? parts[2] : retry.groupId();
        return new Message(parts[0], group, retry.senderId(), retry.sourceGuid(), retry.text(), Long.parseLong(parts[1]));
    }

    /**
     * Time-ordered, unique message ids: sortable by acceptance, safe to show to clients. 12 hex
     * digits of milliseconds, then 16 of randomness (unique, not a secret: nothing is authorised by
     * a message id). Built by hand: String.format and SecureRandom were a tenth of the intake's CPU.
     */
    static String newId() {
        char[] id = new char[28];
        hex(System.currentTimeMillis(), id, 0, 12);
        hex(ThreadLocalRandom.current().nextLong(), id, 12, 16);
        return new String(id);
    }

    private static void hex(long v, char[] out, int from, int digits) {
        for (int i = from + digits - 1; i >= from; i--) {
            out[i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();
}

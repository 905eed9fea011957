package io.groupwire.core.intake;

import io.groupwire.core.message.Message;
import io.groupwire.core.redis.NotReplicatedException;
import io.groupwire.core.redis.Shards;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    private static final int MAX_BATCH = 256;

    private record Pending(Message message, Promise<IntakeResult> promise) {
    }

    private final Shards shards;
    private final Clock clock;
    private final EnqueueScript enqueue;
    private final ShardQueue[] queues;
    private final long callTimeoutMillis;

    private MessageIntake(Builder b) {
        this.shards = b.shards;
        this.clock = b.clock;
        this.enqueue = new EnqueueScript(b.redis, new GuidBuckets(b.guidTtl), new EnqueueScript.Settings(
                b.mailboxHighWater, b.outboxHighWater, b.waitReplicas, b.waitTimeout.toMillis()));
        this.callTimeoutMillis = b.callTimeout.toMillis();
        this.queues = new ShardQueue[shards.count()];
        for (int i = 0; i < queues.length; i++) {
            queues[i] = new ShardQueue(i);
        }
    }

    /** Starts an intake on {@code redis} for messages spread over {@code shards}; see {@link Builder} for the rest. */
    public static Builder builder(Redis redis, Shards shards) {
        return new Builder(redis, shards);
    }

    /** The settings of a {@link MessageIntake}; only {@link #guidTtl} must be given. */
    public static final class Builder {
        private final Redis redis;
        private final Shards shards;
        private Clock clock = Clock.systemUTC();
        private Duration guidTtl;
        private long mailboxHighWater;
        private long outboxHighWater;
        private int waitReplicas;
        private Duration waitTimeout = Duration.ZERO;
        private Duration callTimeout = Duration.ZERO;

        private Builder(Redis redis, Shards shards) {
            this.redis = Objects.requireNonNull(redis, "redis");
            this.shards = Objects.requireNonNull(shards, "shards");
        }

        /** The clock of acceptance times and of the source_guid buckets; the system's UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long a source_guid is remembered (at least the message TTL). Required. */
        public Builder guidTtl(Duration guidTtl) {
            this.guidTtl = Objects.requireNonNull(guidTtl, "guidTtl");
            return this;
        }

        /** Mailbox length above which messages are refused as {@code FULL}; 0 (the default) for no limit. */
        public Builder mailboxHighWater(long length) {
            this.mailboxHighWater = length;
            return this;
        }

        /**
         * Outbox length (any channel of the shard) above which messages are refused as {@code FULL}, so
         * that clients retry instead of Redis filling up when providers fall behind; 0 (the default)
         * for no limit.
         */
        public Builder outboxHighWater(long length) {
            this.outboxHighWater = length;
            return this;
        }

        /**
         * With {@code replicas > 0}, a message counts as accepted only once that many replicas
         * acknowledged it (Redis WAIT, up to {@code timeout}); otherwise its future fails with
         * {@link NotReplicatedException}. The message may then still be delivered: a retry with the
         * same source_guid is answered with the first message, so retrying is safe. None by default.
         */
        public Builder waitForReplicas(int replicas, Duration timeout) {
            this.waitReplicas = replicas;
            this.waitTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * A script call that has not answered within {@code timeout} (0, the default: no bound) fails
         * its messages with a {@link java.util.concurrent.TimeoutException} and frees the shard for the
         * next batch. Without it, a call whose answer never comes (the Vert.x client can lose a batch's
         * answer when the connection dies under it) would hold every later message of the shard forever.
         */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public MessageIntake build() {
            if (guidTtl == null) {
                throw new IllegalStateException("a MessageIntake needs its guidTtl");
            }
            return new MessageIntake(this);
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
            List<Message> messages = new ArrayList<>(batch.size());
            for (Pending p : batch) {
                messages.add(p.message());
            }
            Future<List<IntakeResult>> answer = enqueue.run(shard, clock.millis(), messages);
            if (callTimeoutMillis > 0) {
                answer = answer.timeout(callTimeoutMillis, TimeUnit.MILLISECONDS);
            }
            answer.onComplete(ar -> finish(batch, ar));
        }

        /** Answers the batch's messages (with the script's answer, or its failure or timeout), then sends the next batch. */
        private void finish(List<Pending> batch, AsyncResult<List<IntakeResult>> ar) {
            for (int i = 0; i < batch.size(); i++) {
                Promise<IntakeResult> promise = batch.get(i).promise();
                if (ar.succeeded()) {
                    promise.complete(ar.result().get(i));
                } else {
                    promise.fail(ar.cause());
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

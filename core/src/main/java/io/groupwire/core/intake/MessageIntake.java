package io.groupwire.core.intake;

import io.groupwire.core.history.HistoryLimits;
import io.groupwire.core.message.Message;
import io.groupwire.core.redis.NotReplicatedException;
import io.groupwire.core.redis.Shards;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Accepts messages into their group's mailbox. One atomic script checks each message's group, the
 * sender's membership, the source_guid and the high-water mark, and stores it; the future
 * completes only after Redis answered, which is when the gateway may answer 202.
 *
 * <p>Group commit ({@link GroupCommit}): while a shard's script call is in flight, further messages
 * for that shard wait and then go together in the next call; the senders' source_guid bindings are
 * committed the same way. An idle system adds no delay; a busy one makes one round trip per batch
 * instead of per message. Safe to call from any thread.
 */
public final class MessageIntake {
    private static final int MAX_BATCH = 256;

    private final Shards shards;
    private final Clock clock;
    private final GroupCommit<Offer, IntakeResult>[] queues;
    private final SenderGuidBindings bindings;

    private MessageIntake(Builder b) {
        this.shards = b.shards;
        this.clock = b.clock;
        GuidBuckets guids = new GuidBuckets(b.guidTtl);
        EnqueueScript enqueue = new EnqueueScript(b.redis, guids, new EnqueueScript.Settings(
                b.mailboxHighWater, b.outboxHighWater, b.waitReplicas, b.waitTimeout.toMillis(), b.history));
        long callTimeoutMillis = b.callTimeout.toMillis();
        @SuppressWarnings("unchecked") // an array of a generic type; every element is of that type
        GroupCommit<Offer, IntakeResult>[] perShard = new GroupCommit[shards.count()];
        for (int i = 0; i < perShard.length; i++) {
            int shard = i;
            perShard[i] = new GroupCommit<>(MAX_BATCH, callTimeoutMillis,
                    batch -> enqueue.run(shard, clock.millis(), batch));
        }
        this.queues = perShard;
        // with one shard every group shares it, and the enqueue script sees every use of a guid
        this.bindings = shards.count() == 1 ? null
                : new SenderGuidBindings(b.redis, shards, guids, clock, MAX_BATCH, callTimeoutMillis);
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
        private HistoryLimits history = HistoryLimits.DEFAULTS;

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

        /** How many messages, and for how long, each group's history keeps; {@link HistoryLimits#DEFAULTS} by default. */
        public Builder history(HistoryLimits history) {
            this.history = Objects.requireNonNull(history, "history");
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

    /**
     * Accepts a message unless the rules refuse it. Its {@code (sender, sourceGuid)} is bound to its
     * first use: the same key with the same group and text answers the first message
     * ({@code DUPLICATE}); with another group or text it answers {@code CONFLICT} and enqueues
     * nothing. The group's shard checks this atomically with the enqueue; a use in a group of
     * another shard is caught by the sender's binding first (see {@link SenderGuidBindings}).
     */
    public Future<IntakeResult> accept(String groupId, String senderId, String sourceGuid, String text) {
        Message message = new Message(newId(), groupId, senderId, sourceGuid, text, clock.millis());
        String use = GuidUse.of(groupId, text);
        GroupCommit<Offer, IntakeResult> shard = queues[shards.of(groupId)];
        if (bindings == null) {
            return shard.offer(new Offer(message, use));
        }
        return bindings.bind(senderId, sourceGuid, use).compose(bound -> bound ? shard.offer(new Offer(message, use))
                : Future.succeededFuture(new IntakeResult(IntakeResult.Status.CONFLICT, null)));
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

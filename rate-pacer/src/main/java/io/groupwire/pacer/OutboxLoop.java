package io.groupwire.pacer;

import io.groupwire.core.ledger.DeliveryLedger;
import io.groupwire.core.message.Channel;
import io.groupwire.core.queue.QueueLoop;
import io.groupwire.core.queue.ReliableQueue;
import io.groupwire.core.queue.Round;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;

/**
 * Drains one outbox (a shard's deliveries for one channel) while this instance holds its lease:
 * take tokens, claim that many deliveries, and hand them to an {@link OutboxBatch}, which marks
 * each one sending just before its provider call and records each outcome as soon as it is known. One batch at a time; within a batch, deliveries to the
 * same address go one after another, so a recipient sees a group's messages in order.
 */
final class OutboxLoop extends QueueLoop {
    private final Channel channel;
    private final ReliableQueue outbox;
    private final DeliveryLedger ledger;
    private final TokenGate tokens;
    private final ChannelPermits permits;
    private final ProviderPause pause;
    private final ChannelPacing pacing;
    private final Settlements settlements;
    private final PacerConfig config;
    private final PacerMetrics metrics;
    private final Clock clock;
    /** The batch in progress; after a failed round it is resumed before anything more is claimed. */
    private OutboxBatch batch;

    /**
     * @param outbox the queue this loop drains, whose lease the runner holds
     * @param ledger the delivery ledger of the outbox's shard and channel
     * @param pacing what the outbox loops of this channel share
     */
    OutboxLoop(Vertx vertx, ReliableQueue outbox, DeliveryLedger ledger, ChannelPacing pacing, PacerConfig config) {
        super(vertx, outbox.keys().queue(), config.idlePoll());
        this.channel = pacing.channel();
        this.outbox = outbox;
        this.ledger = ledger;
        this.tokens = pacing.tokens();
        this.permits = pacing.permits();
        this.pause = pacing.pause();
        this.pacing = pacing;
        this.settlements = new Settlements(pacing, config.messageTtl());
        this.config = config;
        this.metrics = pacing.metrics();
        this.clock = pacing.clock();
    }

    @Override
    protected Future<Round> round() {
        long paused = pause.remainingMillis();
        if (paused > 0) {
            // look again at least every second: another instance may lift or extend the pause
            return Future.succeededFuture(new Round.WaitFor(Duration.ofMillis(Math.min(paused, 1000))));
        }
        // after a failure, finish the batch in progress before claiming more: outcomes already known
        // are recorded as they are, deliveries not yet sent are marked again and sent
        if (batch != null) {
            return finish(batch);
        }
        return claimRound();
    }

    @Override
    protected void leaseLost() {
        // the new owner recovers these claims from the in-flight list
        if (batch != null) {
            batch.abandon();
            batch = null;
        }
    }

    /** Claims and processes one batch, or says how long to wait for tokens or permits. */
    private Future<Round> claimRound() {
        return ledger.peek(clock.millis(), config.batchSize()).compose(depth -> {
            if (depth == 0) {
                return Future.succeededFuture(Round.IDLE);
            }
            long want = Math.min(Math.min(depth, config.batchSize()), permits.available());
            if (want <= 0) {
                return Future.succeededFuture(new Round.WaitFor(tokenWait()));
            }
            return tokens.take(want).compose(granted -> {
                if (granted == 0) {
                    metrics.throttled.increment();
                    return Future.succeededFuture(new Round.WaitFor(tokenWait()));
                }
                return outbox.claim(granted.intValue()).compose(entries -> {
                    tokens.giveBack(granted - entries.size());
                    if (entries.isEmpty()) {
                        return Future.succeededFuture(Round.IDLE);
                    }
                    batch = new OutboxBatch(vertx.getOrCreateContext(), entries, ledger, pacing, settlements,
                            config.messageTtl(), this::sleep, tokenWait().toMillis());
                    return finish(batch);
                });
            });
        });
    }

    private Future<Round> finish(OutboxBatch b) {
        return b.run().map(v -> {
            batch = null;
            return new Round.Continue(b.size());
        });
    }

    /** About one token's time at the channel's rate. */
    private Duration tokenWait() {
        return Duration.ofMillis(Math.max(1, 1000 / config.limit(channel).perSecond()));
    }
}

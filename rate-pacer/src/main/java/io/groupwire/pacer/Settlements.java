package io.groupwire.pacer;

import io.groupwire.core.delivery.Outcome;
import io.groupwire.core.json.DeliveryJson;
import io.groupwire.core.ledger.Completion;
import io.groupwire.core.ledger.DeliveryState;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a provider's answer to one delivery into what the ledger records for it (sent, failed,
 * dead, ambiguous, a retry at its due time, dead-lettered, expired), with the answer's side
 * effects: the channel's metrics, a pause of the channel when the provider asks for one, and the
 * removal of a dead destination. Shared by the outbox loops of one channel.
 */
final class Settlements {
    private static final Logger LOG = LoggerFactory.getLogger(Settlements.class);

    private final Channel channel;
    private final ProviderPause pause;
    private final DestinationRemover remover;
    private final RetryPolicy retries;
    private final PacerMetrics metrics;
    private final Clock clock;
    private final long ttlMillis;

    Settlements(ChannelPacing pacing, Duration messageTtl) {
        this.channel = pacing.channel();
        this.pause = pacing.pause();
        this.remover = pacing.remover();
        this.retries = pacing.retries();
        this.metrics = pacing.metrics();
        this.clock = pacing.clock();
        this.ttlMillis = messageTtl.toMillis();
    }

    /** What to record for {@code d} (claimed as {@code raw}) after the provider answered {@code outcome}. */
    Completion settle(String raw, Delivery d, Outcome outcome) {
        long now = clock.millis();
        metrics.attempt(outcome.label(), reason(outcome));
        if (outcome instanceof Outcome.Delivered) {
            metrics.delivered(d.acceptedAtMillis(), now);
            return Completion.settled(raw, d.messageId(), d.id(), DeliveryState.SENT);
        }
        if (outcome instanceof Outcome.Failed f) {
            LOG.info("{} delivery {} failed: {}", channel.id(), d.id(), f.reason());
            return Completion.settled(raw, d.messageId(), d.id(), DeliveryState.FAILED);
        }
        if (outcome instanceof Outcome.DeadDestination dead) {
            metrics.removed.increment();
            remover.remove(d, dead.invalidatedAtMillis())
                    .onFailure(e -> LOG.warn("could not unregister a dead {} destination: {}", channel.id(), e.toString()));
            return Completion.settled(raw, d.messageId(), d.id(), DeliveryState.DEAD);
        }
        Outcome.RetryLater retry = (Outcome.RetryLater) outcome;
        // a provider in trouble pauses the channel whatever becomes of this one delivery
        if (retry.scope() == Outcome.Scope.PROVIDER && retry.delay().toMillis() > 0) {
            pause.pause(retry.delay().toMillis());
        }
        if (retry.maybeSent() && !channel.collapsesDuplicates()) {
            // SMS has no provider-side idempotency: at most once, and counted
            metrics.ambiguous.increment();
            return Completion.settled(raw, d.messageId(), d.id(), DeliveryState.AMBIGUOUS);
        }
        int attempts = d.attempt() + 1;
        if (retries.exhausted(attempts)) {
            metrics.deadLettered.increment();
            return Completion.settled(raw, d.messageId(), d.id(), DeliveryState.DEAD_LETTER);
        }
        long at = now + retries.delayMillis(d.attempt(), retry.delay());
        if (at - d.acceptedAtMillis() > ttlMillis) {
            metrics.expired.increment();
            return Completion.settled(raw, d.messageId(), d.id(), DeliveryState.EXPIRED);
        }
        return Completion.retry(raw, d.messageId(), d.id(), at, DeliveryJson.write(d.withAttempt(attempts)), retry.maybeSent());
    }

    private static String reason(Outcome o) {
        if (o instanceof Outcome.RetryLater r) {
            return r.reason();
        }
        if (o instanceof Outcome.Failed f) {
            return f.reason();
        }
        if (o instanceof Outcome.DeadDestination d) {
            return d.reason();
        }
        return "";
    }
}

package io.groupwire.pacer;

import io.groupwire.core.delivery.Outcome;
import io.groupwire.core.delivery.ProviderClient;
import io.groupwire.core.json.DeliveryJson;
import io.groupwire.core.ledger.Completion;
import io.groupwire.core.ledger.DeliveryLedger;
import io.groupwire.core.ledger.DeliveryState;
import io.groupwire.core.ledger.Verdict;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.queue.QueueLoop;
import io.groupwire.core.queue.ReliableQueue;
import io.groupwire.core.queue.Round;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains one outbox (a shard's deliveries for one channel) while this instance holds its lease:
 * take tokens, claim that many deliveries, mark them sending, call the provider, and record each
 * outcome with the claim's acknowledgement in one step. One batch at a time; within a batch,
 * deliveries to the same address go one after another, so a recipient sees a group's messages in
 * order.
 */
final class OutboxLoop extends QueueLoop {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxLoop.class);

    private final Channel channel;
    private final ReliableQueue outbox;
    private final DeliveryLedger ledger;
    private final TokenGate tokens;
    private final ChannelPermits permits;
    private final ProviderPause pause;
    private final ProviderClient provider;
    private final DestinationRemover remover;
    private final RetryPolicy retries;
    private final PacerConfig config;
    private final PacerMetrics metrics;
    private final Clock clock;
    private List<String> pending = List.of();
    private List<Completion> unsaved = List.of();
    /**
     * When the pending claims were last marked sending by a begin whose answer never came (or came
     * without the replicas' acknowledgement), and nothing of them has been sent since; 0 otherwise.
     * The repeat tells the ledger that these marks of ours are not sends.
     */
    private long unsentBeginMillis;

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
        this.provider = pacing.provider();
        this.remover = pacing.remover();
        this.retries = pacing.retries();
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
        // after a failure, finish what was in progress before claiming more: outcomes already known
        // are saved as they are, claims not yet sent are processed again
        if (!unsaved.isEmpty()) {
            return save(unsaved);
        }
        if (!pending.isEmpty()) {
            return processAndSave(pending);
        }
        return claimRound();
    }

    @Override
    protected void leaseLost() {
        // the new owner recovers these claims from the in-flight list
        pending = List.of();
        unsaved = List.of();
        unsentBeginMillis = 0;
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
                    pending = entries;
                    unsentBeginMillis = 0;
                    return entries.isEmpty() ? Future.succeededFuture(Round.IDLE) : processAndSave(entries);
                });
            });
        });
    }

    /** About one token's time at the channel's rate. */
    private Duration tokenWait() {
        return Duration.ofMillis(Math.max(1, 1000 / config.limit(channel).perSecond()));
    }

    private Future<Round> processAndSave(List<String> entries) {
        return process(entries).compose(completions -> {
            unsaved = completions;
            pending = List.of();
            return save(completions);
        });
    }

    private Future<Round> save(List<Completion> completions) {
        return ledger.complete(completions).map(n -> {
            unsaved = List.of();
            return new Round.Continue(completions.size());
        });
    }

    private Future<List<Completion>> process(List<String> entries) {
        long now = clock.millis();
        List<Delivery> deliveries = new ArrayList<>(entries.size());
        List<String> messageIds = new ArrayList<>(entries.size());
        List<String> ids = new ArrayList<>(entries.size());
        for (String raw : entries) {
            Delivery d = parse(raw);
            deliveries.add(d);
            messageIds.add(d == null ? "-" : d.messageId());
            ids.add(d == null ? "-" : d.id());
        }
        long repeated = unsentBeginMillis;
        unsentBeginMillis = now;
        return ledger.begin(messageIds, ids, now, repeated).compose(verdicts -> {
            Completion[] results = new Completion[entries.size()];
            Map<String, List<Integer>> toSend = new LinkedHashMap<>();
            int extraCost = 0;
            for (int i = 0; i < entries.size(); i++) {
                String raw = entries.get(i);
                Delivery d = deliveries.get(i);
                Verdict v = verdicts.get(i);
                if (d == null) {
                    results[i] = Completion.settled(raw, "-", "-", DeliveryState.DEAD_LETTER);
                    metrics.deadLettered.increment();
                } else if (v == Verdict.DONE || v == Verdict.GONE) {
                    results[i] = Completion.ackOnly(raw, d.messageId(), d.id());
                    metrics.duplicates.increment();
                } else if (now - d.acceptedAtMillis() > config.messageTtl().toMillis()) {
                    results[i] = Completion.settled(raw, d.messageId(), d.id(), DeliveryState.EXPIRED);
                    metrics.expired.increment();
                } else if (v == Verdict.AMBIGUOUS && !channel.collapsesDuplicates()) {
                    results[i] = Completion.settled(raw, d.messageId(), d.id(), DeliveryState.AMBIGUOUS);
                    metrics.ambiguous.increment();
                } else {
                    if (v == Verdict.AMBIGUOUS) {
                        // push: resend; the collapse id makes the device show one notification
                        metrics.ambiguous.increment();
                    }
                    toSend.computeIfAbsent(d.address(), a -> new ArrayList<>()).add(i);
                    extraCost += provider.cost(d) - 1;
                }
            }
            Future<Long> extra = extraCost > 0 ? takeAll(extraCost) : Future.succeededFuture(0L);
            return extra.compose(x -> {
                        // from here on a mark may stand for a send: a repeat must find it ambiguous
                        unsentBeginMillis = 0;
                        return sendAll(toSend, entries, deliveries, results);
                    })
                    .map(x -> List.of(results));
        });
    }

    /** Waits until {@code n} tokens were granted (extra SMS segments beyond the one per claim). */
    private Future<Long> takeAll(long n) {
        return tokens.take(n).compose(got -> {
            if (got >= n) {
                return Future.succeededFuture(n);
            }
            metrics.throttled.increment();
            return sleep(tokenWait().toMillis()).compose(v -> takeAll(n - got));
        });
    }

    private Future<Void> sendAll(Map<String, List<Integer>> byAddress, List<String> entries, List<Delivery> deliveries,
                                 Completion[] results) {
        List<Future<Void>> chains = new ArrayList<>(byAddress.size());
        int count = byAddress.values().stream().mapToInt(List::size).sum();
        permits.take(count);
        for (List<Integer> indexes : byAddress.values()) {
            Future<Void> chain = Future.succeededFuture();
            for (int i : indexes) {
                chain = chain.compose(v -> sendOne(deliveries.get(i)).map(outcome -> {
                    permits.release(1);
                    results[i] = settle(entries.get(i), deliveries.get(i), outcome);
                    return null;
                }));
            }
            chains.add(chain);
        }
        return Future.all(chains).mapEmpty();
    }

    private Future<Outcome> sendOne(Delivery d) {
        long start = System.nanoTime();
        java.util.concurrent.CompletableFuture<Outcome> sent = provider.send(d);
        if (sent.isDone()) {
            // answered at once (an in-process provider, a refusal before any I/O): already on this
            // loop's context, so no hop back through the event loop's task queue per delivery
            return Future.succeededFuture(outcome(sent.handle((o, err) -> err != null ? null : o).join(), start));
        }
        Promise<Outcome> p = Promise.promise();
        sent.whenComplete((outcome, err) -> vertx.runOnContext(v -> p.complete(outcome(err != null ? null : outcome, start))));
        return p.future();
    }

    /** Records the request's time; a null outcome (the adapter failed, which it promises never to do) is a maybe-sent retry. */
    private Outcome outcome(Outcome outcome, long startNanos) {
        metrics.providerRequest.record(System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        return outcome != null ? outcome
                : new Outcome.RetryLater(Duration.ZERO, "client_error", Outcome.Scope.DESTINATION, true);
    }

    private Completion settle(String raw, Delivery d, Outcome outcome) {
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
        if (at - d.acceptedAtMillis() > config.messageTtl().toMillis()) {
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

    private static Delivery parse(String raw) {
        try {
            return DeliveryJson.read(raw);
        } catch (RuntimeException e) {
            return null;
        }
    }
}

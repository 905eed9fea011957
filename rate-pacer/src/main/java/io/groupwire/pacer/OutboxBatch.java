package io.groupwire.pacer;

import io.groupwire.core.delivery.Outcome;
import io.groupwire.core.delivery.ProviderClient;
import io.groupwire.core.json.DeliveryJson;
import io.groupwire.core.ledger.Completion;
import io.groupwire.core.ledger.DeliveryLedger;
import io.groupwire.core.ledger.DeliveryState;
import io.groupwire.core.ledger.Verdict;
import io.groupwire.core.message.Delivery;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * One claimed batch of an outbox on its way to the provider, recorded delivery by delivery, so
 * that a crash leaves ambiguous only the deliveries in flight, not the whole batch:
 *
 * <ul>
 * <li>deliveries to one address go one after another (a recipient sees a group's messages in order);</li>
 * <li>on a channel that must never send twice (SMS), a delivery is marked {@code sending} just before
 *     its own provider call: the next one to the same address is marked only once the previous one was
 *     answered, so a crash leaves ambiguous exactly the requests in flight. A push channel, whose
 *     ambiguous deliveries are resent under their collapse id, marks the whole batch in one call;
 *     its window also holds the deliveries queued behind a request in flight to the same device;</li>
 * <li>each outcome is recorded as soon as it is known; claims are acknowledged in claim order as
 *     the outcomes before them are recorded too (see {@link #record}).</li>
 * </ul>
 *
 * Marks and outcomes that fall due together (in one turn of the event loop, or while the previous
 * call of the same kind is under way) share one call to Redis, so a batch costs Redis a few calls,
 * not one per delivery; at most one marking call and one recording call are under way at a time.
 *
 * <p>Lives on the context of the loop that claimed it. {@link #run} completes once every claim is
 * recorded and acknowledged. When Redis fails or the lease is lost it starts nothing new, waits
 * for the provider calls in progress, and fails; running it again resumes where it stopped. Deliveries marked by a
 * call whose answer never came, and not sent since, are marked again naming that call, so that the
 * ledger takes those marks of ours for what they are: not sends.
 */
final class OutboxBatch {
    /**
     * MARKED: marked, to be sent once the deliveries before it to its address were answered;
     * RECORDED: the outcome is in the ledger, the claim not yet acknowledged; ACKNOWLEDGED: both.
     */
    private enum Step { WAITING, MARKING, MARKED, SENDING, SETTLED, RECORDING, RECORDED, ACKNOWLEDGED }

    private final Context context;
    private final List<String> entries;
    private final Delivery[] deliveries;
    private final Step[] steps;
    /** The next delivery of the batch to the same address, -1 for none. */
    private final int[] next;
    /** Whether a delivery may be sent: the deliveries before it to its address were answered or settled. */
    private final boolean[] sendable;
    /** Whether a delivery may be marked: when sendable, or at once when the channel marks ahead. */
    private final boolean[] ready;
    /** See {@link #OutboxBatch}: push marks a whole batch in one call, SMS each delivery just before its send. */
    private final boolean markAhead;
    /** The time of a marking call whose answer never came, for deliveries not sent since; 0 for none. */
    private final long[] unansweredMark;
    /** Whether a delivery counts in the channel's sends-in-flight gauge (it is, or may be, marked by us). */
    private final boolean[] counted;
    private final Completion[] results;
    private final DeliveryLedger ledger;
    private final ChannelPacing pacing;
    private final Settlements settlements;
    private final long ttlMillis;
    private final LongFunction<Future<Void>> sleep;
    private final long tokenWaitMillis;
    private final Clock clock;
    private long extraTokens;
    private boolean tokensTaken;
    private boolean marking;
    private boolean recording;
    private boolean flushScheduled;
    private int sending;
    private int acknowledged;
    private Throwable failure;
    private Promise<Void> finished;

    /**
     * @param entries the claimed entries, in claim order: the head of the outbox's in-flight list
     * @param sleep   waits on the loop's timers (for the tokens of extra SMS segments)
     * @param tokenWaitMillis how long to wait before asking for tokens again
     */
    OutboxBatch(Context context, List<String> entries, DeliveryLedger ledger, ChannelPacing pacing,
                Settlements settlements, Duration messageTtl, LongFunction<Future<Void>> sleep, long tokenWaitMillis) {
        this.context = context;
        this.entries = List.copyOf(entries);
        int n = entries.size();
        this.deliveries = new Delivery[n];
        this.steps = new Step[n];
        this.next = new int[n];
        this.sendable = new boolean[n];
        this.ready = new boolean[n];
        this.markAhead = pacing.channel().collapsesDuplicates();
        this.unansweredMark = new long[n];
        this.counted = new boolean[n];
        this.results = new Completion[n];
        this.ledger = ledger;
        this.pacing = pacing;
        this.settlements = settlements;
        this.ttlMillis = messageTtl.toMillis();
        this.sleep = sleep;
        this.tokenWaitMillis = tokenWaitMillis;
        this.clock = pacing.clock();
        ProviderClient provider = pacing.provider();
        Map<String, Integer> lastTo = new HashMap<>();
        for (int i = 0; i < n; i++) {
            next[i] = -1;
            steps[i] = Step.WAITING;
            Delivery d = parse(entries.get(i));
            deliveries[i] = d;
            if (d == null) {
                results[i] = Completion.settled(entries.get(i), "-", "-", DeliveryState.DEAD_LETTER);
                pacing.metrics().deadLettered.increment();
                steps[i] = Step.SETTLED;
                continue;
            }
            extraTokens += provider.cost(d) - 1;
            Integer previous = lastTo.put(d.address(), i);
            if (previous == null) {
                sendable[i] = true;
            } else {
                next[previous] = i;
            }
            ready[i] = markAhead || sendable[i];
        }
    }

    int size() {
        return entries.size();
    }

    /**
     * Sends and records what is left of the batch; completes when every claim is recorded, fails
     * (once no provider call is in progress) when a call to Redis failed or the lease is lost.
     */
    Future<Void> run() {
        failure = null;
        finished = Promise.promise();
        if (!tokensTaken && extraTokens > 0) {
            // the extra segments' tokens are taken before anything is marked, so that waiting for
            // them never leaves a mark that is not a send
            takeAll(extraTokens).onComplete(ar -> {
                if (ar.succeeded()) {
                    tokensTaken = true;
                    flush();
                } else {
                    fail(ar.cause());
                    finishIfDone();
                }
            });
        } else {
            tokensTaken = true;
            flush();
        }
        return finished.future();
    }

    /** The lease was lost: the next owner recovers the claims; this instance no longer counts them. */
    void abandon() {
        for (int i = 0; i < counted.length; i++) {
            uncount(i);
        }
    }

    private Future<Void> takeAll(long n) {
        return pacing.tokens().take(n).compose(got -> {
            if (got >= n) {
                return Future.succeededFuture();
            }
            pacing.metrics().throttled.increment();
            return sleep.apply(tokenWaitMillis).compose(v -> takeAll(n - got));
        });
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            // after the answers already queued on the event loop: they share the calls
            context.runOnContext(v -> {
                flushScheduled = false;
                flush();
            });
        }
    }

    private void flush() {
        if (failure == null) {
            mark();
            sendMarked();
            record();
        }
        finishIfDone();
    }

    /** Sends the marked deliveries whose turn it is. */
    private void sendMarked() {
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] == Step.MARKED && sendable[i]) {
                send(i);
            }
        }
    }

    private void finishIfDone() {
        if (finished == null || finished.future().isComplete()) {
            return;
        }
        if (acknowledged == entries.size()) {
            finished.complete();
        } else if (failure != null && !marking && !recording && sending == 0) {
            finished.fail(failure);
        }
    }

    private void fail(Throwable e) {
        if (failure == null) {
            failure = e;
        }
    }

    /** Marks, in one call, the deliveries that may be sent now (those repeating one unanswered call at a time). */
    private void mark() {
        if (marking) {
            return;
        }
        List<Integer> batch = new ArrayList<>();
        long repeated = -1;
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] == Step.WAITING && ready[i]) {
                if (repeated < 0) {
                    repeated = unansweredMark[i];
                }
                if (unansweredMark[i] == repeated) {
                    batch.add(i);
                }
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        List<String> messageIds = new ArrayList<>(batch.size());
        List<String> ids = new ArrayList<>(batch.size());
        for (int i : batch) {
            steps[i] = Step.MARKING;
            count(i);
            messageIds.add(deliveries[i].messageId());
            ids.add(deliveries[i].id());
        }
        long now = clock.millis();
        marking = true;
        ledger.begin(messageIds, ids, now, repeated).onComplete(ar -> {
            marking = false;
            if (ar.succeeded()) {
                List<Verdict> verdicts = ar.result();
                for (int k = 0; k < batch.size(); k++) {
                    int i = batch.get(k);
                    unansweredMark[i] = 0;
                    judge(i, verdicts.get(k), now);
                }
                if (failure == null) {
                    sendMarked();
                }
            } else {
                // the marks may or may not be there; none of these was sent
                for (int i : batch) {
                    steps[i] = Step.WAITING;
                    unansweredMark[i] = now;
                }
                fail(ar.cause());
            }
            scheduleFlush();
        });
    }

    private void judge(int i, Verdict v, long markedAt) {
        Delivery d = deliveries[i];
        String raw = entries.get(i);
        PacerMetrics metrics = pacing.metrics();
        if (v == Verdict.DONE || v == Verdict.GONE) {
            // nothing of ours was marked: the ledger had settled it, or has gone with its message
            uncount(i);
            settledUnsent(i, Completion.ackOnly(raw, d.messageId(), d.id()));
            metrics.duplicates.increment();
        } else if (markedAt - d.acceptedAtMillis() > ttlMillis) {
            settledUnsent(i, Completion.settled(raw, d.messageId(), d.id(), DeliveryState.EXPIRED));
            metrics.expired.increment();
        } else if (v == Verdict.AMBIGUOUS && !pacing.channel().collapsesDuplicates()) {
            settledUnsent(i, Completion.settled(raw, d.messageId(), d.id(), DeliveryState.AMBIGUOUS));
            metrics.ambiguous.increment();
        } else {
            if (v == Verdict.AMBIGUOUS) {
                // push: resend; the collapse id makes the device show one notification
                metrics.ambiguous.increment();
            }
            // sent at its turn, and only while nothing failed (the mark is ours: a resumed batch sends it)
            steps[i] = Step.MARKED;
        }
    }

    private void settledUnsent(int i, Completion c) {
        results[i] = c;
        steps[i] = Step.SETTLED;
        extraUnused(i);
        releaseNext(i);
    }

    private void extraUnused(int i) {
        long extra = pacing.provider().cost(deliveries[i]) - 1;
        if (extra > 0) {
            pacing.tokens().giveBack(extra);
        }
    }

    private void releaseNext(int i) {
        if (next[i] >= 0) {
            sendable[next[i]] = true;
            ready[next[i]] = true;
        }
    }

    private void send(int i) {
        steps[i] = Step.SENDING;
        sending++;
        pacing.permits().take(1);
        long start = System.nanoTime();
        CompletableFuture<Outcome> sent = pacing.provider().send(deliveries[i]);
        if (sent.isDone()) {
            // answered at once (an in-process provider, a refusal before any I/O): already on this
            // batch's context, so no hop back through the event loop's task queue per delivery
            answered(i, sent.handle((o, err) -> err != null ? null : o).join(), start);
        } else {
            sent.whenComplete((outcome, err) -> context.runOnContext(v -> answered(i, err != null ? null : outcome, start)));
        }
    }

    /** A null outcome (the adapter failed, which it promises never to do) is a maybe-sent retry. */
    private void answered(int i, Outcome outcome, long startNanos) {
        pacing.metrics().providerRequest.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        Outcome o = outcome != null ? outcome
                : new Outcome.RetryLater(Duration.ZERO, "client_error", Outcome.Scope.DESTINATION, true);
        sending--;
        pacing.permits().release(1);
        results[i] = settlements.settle(entries.get(i), deliveries[i], o);
        steps[i] = Step.SETTLED;
        releaseNext(i);
        int following = next[i];
        if (following >= 0 && steps[following] == Step.MARKED && failure == null) {
            send(following);
        }
        scheduleFlush();
    }

    /**
     * Records, in one call, every outcome known and not yet recorded, and acknowledges the claims
     * whose outcomes are all recorded from the head of the in-flight list on: a recorded outcome
     * makes its claim harmless to recover (the ledger answers "done"), so acknowledging in claim
     * order, by count and ends, is enough. An outcome with a retry is the exception: a recovered
     * claim would be sent beside its retry, so it is acknowledged with its record, by name when it
     * is out of order (rare).
     */
    private void record() {
        if (recording) {
            return;
        }
        List<Integer> outcomes = new ArrayList<>();
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] == Step.SETTLED) {
                outcomes.add(i);
            }
        }
        if (outcomes.isEmpty()) {
            return;
        }
        List<Integer> run = new ArrayList<>();
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] == Step.ACKNOWLEDGED) {
                continue;
            }
            if (steps[i] != Step.RECORDED && steps[i] != Step.SETTLED) {
                break;
            }
            run.add(i);
        }
        List<Integer> acks = new ArrayList<>(run);
        boolean inOrder = true;
        for (int i : outcomes) {
            if (results[i].retryAtMillis() > 0 && !run.contains(i)) {
                acks.add(i);
                inOrder = false;
            }
        }
        List<Completion> completions = new ArrayList<>(outcomes.size());
        for (int i : outcomes) {
            steps[i] = Step.RECORDING;
            completions.add(results[i]);
        }
        List<String> claims = new ArrayList<>(acks.size());
        for (int i : acks) {
            claims.add(entries.get(i));
        }
        recording = true;
        ledger.record(completions, claims, inOrder).onComplete(ar -> {
            recording = false;
            if (ar.succeeded()) {
                for (int i : outcomes) {
                    steps[i] = Step.RECORDED;
                    uncount(i);
                }
                for (int i : acks) {
                    steps[i] = Step.ACKNOWLEDGED;
                }
                acknowledged += acks.size();
            } else {
                for (int i : outcomes) {
                    steps[i] = Step.SETTLED;
                }
                fail(ar.cause());
            }
            scheduleFlush();
        });
    }

    private void count(int i) {
        if (!counted[i]) {
            counted[i] = true;
            pacing.metrics().sendsInFlight.incrementAndGet();
        }
    }

    private void uncount(int i) {
        if (counted[i]) {
            counted[i] = false;
            pacing.metrics().sendsInFlight.decrementAndGet();
        }
    }

    private static Delivery parse(String raw) {
        try {
            return DeliveryJson.read(raw);
        } catch (RuntimeException e) {
            return null;
        }
    }
}

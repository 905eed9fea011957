package io.groupwire.core.intake;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Group commit for one slot's script: while a call is in flight, further items wait and then go
 * together in the next call. An idle system adds no delay; a busy one makes one round trip per
 * batch instead of per item. Safe to call from any thread.
 *
 * @param <I> what is offered
 * @param <O> the answer to each
 */
final class GroupCommit<I, O> {
    private record Pending<I, O>(I item, Promise<O> promise) {
    }

    private final int maxBatch;
    private final long timeoutMillis;
    private final Function<List<I>, Future<List<O>>> call;
    private List<Pending<I, O>> waiting = new ArrayList<>();
    private boolean inFlight;

    /**
     * @param maxBatch      most items per call
     * @param timeoutMillis a call unanswered this long fails its items and frees the queue for the
     *                      next batch (0: no bound)
     * @param call          the call of a batch, answering each item in order
     */
    GroupCommit(int maxBatch, long timeoutMillis, Function<List<I>, Future<List<O>>> call) {
        this.maxBatch = maxBatch;
        this.timeoutMillis = timeoutMillis;
        this.call = call;
    }

    Future<O> offer(I item) {
        Promise<O> promise = Promise.promise();
        List<Pending<I, O>> batch;
        synchronized (this) {
            waiting.add(new Pending<>(item, promise));
            if (inFlight) {
                return promise.future();
            }
            batch = take();
        }
        send(batch);
        return promise.future();
    }

    private List<Pending<I, O>> take() {
        List<Pending<I, O>> batch;
        if (waiting.size() <= maxBatch) {
            batch = waiting;
            waiting = new ArrayList<>();
        } else {
            batch = new ArrayList<>(waiting.subList(0, maxBatch));
            waiting = new ArrayList<>(waiting.subList(maxBatch, waiting.size()));
        }
        inFlight = !batch.isEmpty();
        return batch;
    }

    private void send(List<Pending<I, O>> batch) {
        List<I> items = new ArrayList<>(batch.size());
        for (Pending<I, O> p : batch) {
            items.add(p.item());
        }
        Future<List<O>> answer = call.apply(items);
        if (timeoutMillis > 0) {
            answer = answer.timeout(timeoutMillis, TimeUnit.MILLISECONDS);
        }
        answer.onComplete(ar -> finish(batch, ar));
    }

    /** Answers the batch's items (with the call's answer, or its failure or timeout), then sends the next batch. */
    private void finish(List<Pending<I, O>> batch, AsyncResult<List<O>> ar) {
        for (int i = 0; i < batch.size(); i++) {
            Promise<O> promise = batch.get(i).promise();
            if (ar.succeeded()) {
                promise.complete(ar.result().get(i));
            } else {
                promise.fail(ar.cause());
            }
        }
        List<Pending<I, O>> next;
        synchronized (this) {
            next = take();
        }
        if (!next.isEmpty()) {
            send(next);
        }
    }
}

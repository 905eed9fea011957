package io.groupwire.pacer;

import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Hands out one channel's tokens to the outbox loops of this instance. Requests that arrive while
 * a bucket call is in progress are pooled into the next call, so an instance makes at most one
 * bucket round trip at a time per channel however many shards it drains, and the CAS-based Redis
 * bucket sees little contention.
 */
final class TokenGate {
    private record Demand(long wanted, Promise<Long> promise) {
    }

    private final AsyncBucketProxy bucket;
    private final Context context;
    private final Queue<Demand> waiting = new ArrayDeque<>();
    private boolean busy;

    TokenGate(AsyncBucketProxy bucket, Context context) {
        this.bucket = bucket;
        this.context = context;
    }

    /** Up to {@code wanted} tokens, possibly none; never waits for tokens to refill. */
    Future<Long> take(long wanted) {
        Promise<Long> p = Promise.promise();
        context.runOnContext(v -> {
            waiting.add(new Demand(wanted, p));
            drain();
        });
        return p.future();
    }

    /** Returns tokens taken but not used (fewer deliveries were waiting than tokens granted). */
    void giveBack(long unused) {
        if (unused > 0) {
            bucket.addTokens(unused);
        }
    }

    private void drain() {
        if (busy || waiting.isEmpty()) {
            return;
        }
        busy = true;
        Queue<Demand> batch = new ArrayDeque<>(waiting);
        waiting.clear();
        long total = batch.stream().mapToLong(Demand::wanted).sum();
        bucket.tryConsumeAsMuchAsPossible(total).whenComplete((granted, err) -> context.runOnContext(v -> {
            long left = err == null ? granted : 0;
            for (Demand d : batch) {
                long give = Math.min(left, d.wanted());
                left -= give;
                if (err != null) {
                    d.promise().fail(err);
                } else {
                    d.promise().complete(give);
                }
            }
            busy = false;
            drain();
        }));
    }
}

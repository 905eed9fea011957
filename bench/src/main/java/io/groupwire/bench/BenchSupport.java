package io.groupwire.bench;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Small blocking helpers for the bench's main thread. */
final class BenchSupport {
    private BenchSupport() {
    }

    static <T> T await(Future<T> f, Duration timeout) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("bench step failed: " + e, e);
        }
    }
}

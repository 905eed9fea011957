package io.groupwire.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Bounds every Redis call the gateway makes: a call that fails or takes longer than the timeout
 * becomes a 503 with Retry-After, so a Redis outage is answered at once and never holds requests.
 */
final class RedisGuard {
    private final Vertx vertx;
    private final long timeoutMillis;

    RedisGuard(Vertx vertx, Duration timeout) {
        this.vertx = vertx;
        this.timeoutMillis = timeout.toMillis();
    }

    <T> Future<T> call(Future<T> redisCall) {
        Promise<T> p = Promise.promise();
        long timer = vertx.setTimer(timeoutMillis, id -> p.tryFail(ApiException.unavailable("storage did not answer in time; retry")));
        redisCall.onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) {
                p.tryComplete(ar.result());
            } else if (ar.cause() instanceof ApiException || ar.cause() instanceof IllegalArgumentException) {
                p.tryFail(ar.cause());
            } else {
                p.tryFail(ApiException.unavailable("storage unavailable; retry"));
            }
        });
        return p.future();
    }
}

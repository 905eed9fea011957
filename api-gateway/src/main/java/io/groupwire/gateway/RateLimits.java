package io.groupwire.gateway;

import io.github.bucket4j.ConsumptionProbe;
import io.groupwire.core.redis.Keys;
import io.groupwire.gateway.RateLimitSettings.Limit;
import io.groupwire.gateway.RateLimitSettings.Rate;
import io.lettuce.core.RedisException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Takes a request's token from its shared bucket in Redis (one per limit and user or group, held by
 * bucket4j through core's {@code SharedBuckets}, so every gateway instance counts against the same
 * limit). An empty bucket fails the request with 429 {@code rate_limited} and a {@code Retry-After}
 * of the seconds until a token is back; each refusal is counted by limit.
 */
final class RateLimits {
    private final RateLimitSettings settings;
    private final LimitBuckets buckets;
    private final RedisGuard guard;
    private final GatewayMetrics metrics;

    RateLimits(RateLimitSettings settings, LimitBuckets buckets, RedisGuard guard, GatewayMetrics metrics) {
        this.settings = settings;
        this.buckets = buckets;
        this.guard = guard;
        this.metrics = metrics;
    }

    /** Completes when {@code subject} (a user or group id) may go on; fails with a 429 when its bucket is empty. */
    Future<Void> take(Limit limit, String subject) {
        Rate rate = settings.rate(limit);
        if (rate == null) {
            return Future.succeededFuture();
        }
        Context context = Vertx.currentContext();
        Future<ConsumptionProbe> probe = buckets.get().compose(b -> {
                    var consumed = b.bucket(Keys.limit(limit.id(), subject), rate.tokens(), rate.period())
                            .tryConsumeAndReturnRemaining(1);
                    // back on the request's event loop: bucket4j completes on Lettuce's threads
                    return context == null ? Future.fromCompletionStage(consumed) : Future.fromCompletionStage(consumed, context);
                })
                .recover(e -> Future.failedFuture(unavailable(e)));
        return guard.call(probe).compose(p -> {
            if (p.isConsumed()) {
                return Future.succeededFuture();
            }
            metrics.rateLimited(limit.id());
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(p.getNanosToWaitForRefill() + 999_999_999L));
            return Future.failedFuture(new ApiException(429, "rate_limited", message(limit, rate),
                    (int) Math.min(Integer.MAX_VALUE, seconds)));
        });
    }

    /**
     * Lettuce fails a bucket call with its own exceptions, wrapped by bucket4j's CompletableFuture: a
     * connection lost, a timeout, a Redis still loading after a restart. Each means "not now", a 503
     * with Retry-After as for the services' own Redis calls; anything else stays what it is.
     */
    static Throwable unavailable(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RedisException || cause instanceof IOException) {
            return ApiException.unavailable("the rate limits' storage is unavailable; retry");
        }
        return cause;
    }

    private static String message(Limit limit, Rate rate) {
        String what = switch (limit) {
            case SEND_PER_USER -> "messages per sender";
            case SEND_PER_GROUP -> "messages to this group";
            case CREATE_GROUP -> "groups created per user";
            case ADD_MEMBER -> "members added per user";
        };
        return "too many " + what + " (at most " + rate.tokens() + " per " + human(rate) + "); retry after the "
                + "time Retry-After gives";
    }

    private static String human(Rate rate) {
        long s = rate.period().toSeconds();
        if (s > 0 && s % 3600 == 0) {
            return s == 3600 ? "hour" : s / 3600 + " hours";
        }
        if (s > 0 && s % 60 == 0) {
            return s == 60 ? "minute" : s / 60 + " minutes";
        }
        return s == 1 ? "second" : rate.period().toMillis() + " ms";
    }
}

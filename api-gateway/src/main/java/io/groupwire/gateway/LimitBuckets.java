package io.groupwire.gateway;

import io.groupwire.core.redis.RedisSettings;
import io.groupwire.core.redis.SharedBuckets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate limits' connection to Redis (Lettuce, under bucket4j), made when first needed and made
 * again after a failed attempt, so that a gateway whose Redis is away at start-up is not held by
 * it: until it connects, limited requests answer 503 with Retry-After, as they would for any Redis
 * call. Lettuce's connect blocks, so it runs off the event loop, one attempt at a time.
 */
final class LimitBuckets {
    private static final Logger LOG = LoggerFactory.getLogger(LimitBuckets.class);

    private final Vertx vertx;
    private final RedisSettings settings;
    private SharedBuckets buckets;
    private Future<SharedBuckets> connecting;
    private boolean closed;

    LimitBuckets(Vertx vertx, RedisSettings settings) {
        this.vertx = vertx;
        this.settings = settings;
    }

    /** The connected buckets, connecting first if need be; fails while Redis cannot be reached. */
    synchronized Future<SharedBuckets> get() {
        if (buckets != null) {
            return Future.succeededFuture(buckets);
        }
        if (closed) {
            return Future.failedFuture(ApiException.unavailable("the gateway is stopping; retry"));
        }
        if (connecting == null) {
            connecting = vertx.executeBlocking(() -> new SharedBuckets(settings)).onComplete(ar -> connected(ar.result(), ar.cause()));
        }
        return connecting;
    }

    private synchronized void connected(SharedBuckets made, Throwable failure) {
        connecting = null;
        if (failure != null) {
            LOG.warn("the rate limits cannot reach Redis at {} yet: {}", settings.describe(), failure.toString());
        } else if (closed) {
            made.close();
        } else {
            buckets = made;
        }
    }

    synchronized void close() {
        closed = true;
        if (buckets != null) {
            buckets.close();
            buckets = null;
        }
    }
}

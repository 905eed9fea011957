package io.groupwire.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import io.vertx.core.VertxException;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Bounds every Redis call the gateway makes. A call that takes longer than the timeout, or fails
 * because Redis is unreachable or temporarily unable to serve (loading, failing over, out of
 * memory), becomes a 503 with Retry-After, so an outage is answered at once and never holds
 * requests. Other failures (the directory's refusals, which handlers turn into 4xx; bugs, corrupt
 * data or script errors, which become a 500) pass through unchanged.
 *
 * <p>A call that timed out may still complete in Redis afterwards. For messages that is safe: the
 * client retries with the same source_guid and gets the first answer.
 */
final class RedisGuard {
    /**
     * Redis error prefixes that mean "not now" rather than "never"; CONNECTION_CLOSED is how the
     * Vert.x client fails the calls of a connection that Redis dropped (say, on a crash), UNBLOCKED
     * how Redis ends a WAIT on a master that was demoted to a replica under it.
     */
    private static final Set<String> TRANSIENT = Set.of("LOADING", "READONLY", "CLUSTERDOWN", "TRYAGAIN",
            "MASTERDOWN", "BUSY", "OOM", "NOREPLICAS", "MOVED", "ASK", "CONNECTION_CLOSED", "UNBLOCKED");

    /**
     * Inside a batch's error the client names a connection failure by its exception class
     * ({@code ERR [0] java.net.SocketException: Connection reset}), the same failures that
     * {@link #classify} treats as transient when they arrive as exceptions.
     */
    private static final Pattern IO_FAILURE = Pattern.compile("(java\\.net\\.|java\\.io\\.|io\\.netty\\.channel\\.|io\\.vertx\\.core\\.VertxException)");

    private final Vertx vertx;
    private final long timeoutMillis;

    RedisGuard(Vertx vertx, Duration timeout) {
        this.vertx = vertx;
        this.timeoutMillis = Math.max(1, timeout.toMillis());
    }

    <T> Future<T> call(Future<T> redisCall) {
        Promise<T> p = Promise.promise();
        long timer = vertx.setTimer(timeoutMillis, id -> p.tryFail(ApiException.unavailable("storage did not answer in time; retry")));
        redisCall.onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) {
                p.tryComplete(ar.result());
            } else {
                p.tryFail(classify(ar.cause()));
            }
        });
        return p.future();
    }

    static Throwable classify(Throwable cause) {
        if (cause instanceof ApiException) {
            return cause;
        }
        if (cause instanceof io.groupwire.core.intake.NotReplicatedException) {
            return ApiException.unavailable("stored, but not yet replicated; retry with the same source_guid");
        }
        if (cause instanceof Response r && r.type() == ResponseType.ERROR) {
            return transientReply(String.valueOf(cause.getMessage())) ? ApiException.unavailable("storage busy; retry") : cause;
        }
        // connection refused, reset or closed, pool or queue full: the client reports these as I/O
        // and Vert.x exceptions, or as bare Throwables ("Connection is closed")
        if (cause instanceof IOException || cause instanceof VertxException
                || !(cause instanceof Exception || cause instanceof Error)) {
            return ApiException.unavailable("storage unavailable; retry");
        }
        // the directory's refusals (unknown users, too many devices) and genuine bugs
        return cause;
    }

    /**
     * A failed batch (the enqueue script and its WAIT) reports one line per failed command,
     * {@code ERR [index] REPLY}; it is transient if every one of them is, or if the batch went to a
     * node that no longer owns the shard (MOVED or ASK: the cluster client does not follow a
     * batch's redirection, and the other lines, such as WAIT refused by a replica, only follow
     * from it). The client's slot map is refreshed within a second, so the retry finds the owner.
     */
    private static boolean transientReply(String reply) {
        boolean all = true;
        for (String line : reply.split("\\R")) {
            String error = line.startsWith("ERR [") && line.indexOf("] ") > 0 ? line.substring(line.indexOf("] ") + 2) : line;
            int space = error.indexOf(' ');
            String code = space < 0 ? error : error.substring(0, space);
            if (code.equals("MOVED") || code.equals("ASK")) {
                return true;
            }
            all &= TRANSIENT.contains(code) || IO_FAILURE.matcher(code).lookingAt();
        }
        return all;
    }
}

package io.groupwire.gateway;

import io.vertx.core.Future;
import io.vertx.core.VertxException;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    private static final Pattern REDIRECTED = Pattern.compile("\\b(MOVED|ASK) \\d+ ");
    /** A plain error reply ({@code ERR} not followed by a batch index) or a type error: a bug, not an outage. */
    private static final Pattern GENUINE_ERROR = Pattern.compile("ERR (?!\\[)|WRONGTYPE|NOPERM|NOAUTH|WRONGPASS");

    private final long timeoutMillis;

    RedisGuard(Duration timeout) {
        this.timeoutMillis = Math.max(1, timeout.toMillis());
    }

    <T> Future<T> call(Future<T> redisCall) {
        return redisCall.timeout(timeoutMillis, TimeUnit.MILLISECONDS).recover(e -> Future.failedFuture(classify(e)));
    }

    static Throwable classify(Throwable cause) {
        if (cause instanceof ApiException) {
            return cause;
        }
        if (cause instanceof TimeoutException) {
            return ApiException.unavailable("storage did not answer in time; retry");
        }
        if (cause instanceof io.groupwire.core.redis.NotReplicatedException) {
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
     * A single error reply is transient if its code is. A failed batch (the enqueue script and its
     * WAIT) reports its failed commands as {@code ERR [index] REPLY}, joined by the client, which
     * under a dying connection can interleave them mid-word; so a batch is judged by markers found
     * anywhere in the text: transient if the batch went to a node that no longer owns the shard
     * (MOVED or ASK: the cluster client does not follow a batch's redirection, and the rest, such as
     * WAIT refused by a replica, follows from it), or if it holds a transient marker and no sign of
     * a genuine error (a plain {@code ERR ...} reply such as a script error, or WRONGTYPE).
     */
    private static boolean transientReply(String reply) {
        if (!reply.startsWith("ERR [")) {
            int space = reply.indexOf(' ');
            String code = space < 0 ? reply : reply.substring(0, space);
            return TRANSIENT.contains(code) || IO_FAILURE.matcher(code).lookingAt();
        }
        if (REDIRECTED.matcher(reply).find()) {
            return true;
        }
        if (GENUINE_ERROR.matcher(reply).find()) {
            return false;
        }
        return IO_FAILURE.matcher(reply).find() || TRANSIENT.stream().anyMatch(reply::contains);
    }
}

package io.groupwire.core.redis;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeats a service's first steps against Redis until they succeed, so that a service started
 * while Redis (or a cluster node) is unreachable waits for it, reporting not-ready, instead of
 * exiting: under a supervisor it would flap, without one it would be gone. Waits double from a
 * quarter of a second up to two seconds; the first failure is logged, then one line every thirty
 * seconds. A failure that waiting cannot cure (a shard count that disagrees with the deployment's)
 * ends the wait at once, and so does the end of {@link RedisSettings#startupWait} when one is set.
 */
public final class RedisWait {
    private static final Logger LOG = LoggerFactory.getLogger(RedisWait.class);
    private static final long FIRST_WAIT_MS = 250;
    private static final long MAX_WAIT_MS = 2_000;
    private static final long LOG_EVERY_MS = 30_000;

    private final Vertx vertx;
    private final String service;
    private final String redis;
    private final long maxWaitMillis;
    private final Predicate<Throwable> fatal;
    private final BooleanSupplier abandoned;
    private long startedAt;

    /**
     * @param service   the service, for the logs
     * @param settings  where Redis is, and how long to wait for it ({@link RedisSettings#startupWait}, 0: for ever)
     * @param fatal     the failures to give up on at once
     * @param abandoned true once the service was stopped: the wait ends, failed
     */
    public RedisWait(Vertx vertx, String service, RedisSettings settings, Predicate<Throwable> fatal,
                     BooleanSupplier abandoned) {
        this.vertx = vertx;
        this.service = service;
        this.redis = settings.describe();
        this.maxWaitMillis = settings.startupWait() == null ? 0 : settings.startupWait().toMillis();
        this.fatal = fatal;
        this.abandoned = abandoned;
    }

    /**
     * Runs {@code attempt} until it succeeds (completing with its result), fails fatally, or the
     * start-up wait is over (failing with the last failure).
     */
    public <T> Future<T> until(Supplier<Future<T>> attempt) {
        Promise<T> done = Promise.promise();
        startedAt = System.currentTimeMillis();
        try_(attempt, done, FIRST_WAIT_MS, 0, 0);
        return done.future();
    }

    private <T> void try_(Supplier<Future<T>> attempt, Promise<T> done, long waitMs, int failures, long lastLog) {
        if (abandoned.getAsBoolean()) {
            done.tryFail(new IllegalStateException(service + " stopped while waiting for Redis"));
            return;
        }
        Future<T> tried;
        try {
            tried = attempt.get();
        } catch (RuntimeException e) {
            tried = Future.failedFuture(e);
        }
        tried.onComplete(ar -> {
            if (ar.succeeded()) {
                if (failures > 0) {
                    LOG.info("{}: Redis at {} answers; starting", service, redis);
                }
                done.tryComplete(ar.result());
                return;
            }
            if (fatal.test(ar.cause())) {
                done.tryFail(ar.cause());
                return;
            }
            long now = System.currentTimeMillis();
            if (maxWaitMillis > 0 && now - startedAt + waitMs > maxWaitMillis) {
                done.tryFail(ar.cause());
                return;
            }
            long logged = lastLog;
            if (failures == 0 || now - lastLog >= LOG_EVERY_MS) {
                LOG.warn("{}: waiting for Redis at {} ({}); not ready until it answers", service, redis,
                        ar.cause().toString());
                logged = now;
            }
            long loggedAt = logged;
            vertx.setTimer(waitMs, t -> try_(attempt, done, Math.min(waitMs * 2, MAX_WAIT_MS), failures + 1, loggedAt));
        });
    }
}

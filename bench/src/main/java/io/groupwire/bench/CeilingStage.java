package io.groupwire.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling: what Redis alone does on this machine through the same client library, measured as
 * pipelined LPUSH+RPOP pairs of message-sized payloads from several concurrent pipelines. Every
 * other throughput is reported as a fraction of this.
 */
final class CeilingStage {
    private static final int PIPELINES = 8;
    private static final int PAIRS_PER_BATCH = 256;

    private final Redis redis;
    private final String payload;

    CeilingStage(Redis redis, int payloadBytes) {
        this.redis = redis;
        this.payload = "x".repeat(payloadBytes);
    }

    /** Pairs per second over {@code duration}. */
    double run(Duration duration, AtomicLong pairs) {
        long deadline = System.nanoTime() + duration.toNanos();
        List<Future<Void>> loops = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < PIPELINES; i++) {
            String key = "gw:bench:ceiling:" + i;
            Promise<Void> p = Promise.promise();
            loop(key, deadline, pairs, p);
            loops.add(p.future());
        }
        BenchSupport.await(Future.all(loops), duration.plusSeconds(30));
        double seconds = (System.nanoTime() - start) / 1e9;
        return pairs.get() / seconds;
    }

    private void loop(String key, long deadline, AtomicLong pairs, Promise<Void> done) {
        if (System.nanoTime() >= deadline) {
            done.complete();
            return;
        }
        List<Request> batch = new ArrayList<>(PAIRS_PER_BATCH * 2);
        for (int i = 0; i < PAIRS_PER_BATCH; i++) {
            batch.add(Request.cmd(Command.LPUSH).arg(key).arg(payload));
            batch.add(Request.cmd(Command.RPOP).arg(key));
        }
        redis.batch(batch).onComplete(ar -> {
            if (ar.failed()) {
                done.fail(ar.cause());
                return;
            }
            pairs.addAndGet(PAIRS_PER_BATCH);
            loop(key, deadline, pairs, done);
        });
    }
}

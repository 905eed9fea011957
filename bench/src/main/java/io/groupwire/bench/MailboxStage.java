package io.groupwire.bench;

import io.groupwire.core.intake.IntakeResult;
import io.groupwire.core.intake.MessageIntake;
import io.groupwire.core.queue.ReliableQueue;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.Shards;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mailbox alone: core's enqueue (the same atomic script the gateway uses: membership,
 * source_guid idempotency, high-water mark), then claim and acknowledge in batches by one consumer
 * per shard, many producers at once, no fan-out. Reports messages fully acknowledged per second.
 */
final class MailboxStage {
    private static final int GROUPS = 64;
    private static final int PRODUCERS = 512;
    private static final int CLAIM_BATCH = 500;

    private final Vertx vertx;
    private final Redis redis;
    private final Shards shards;
    private final String text;
    private final String runId = UUID.randomUUID().toString();
    private final AtomicLong sent = new AtomicLong();

    MailboxStage(Vertx vertx, Redis redis, Shards shards, int textChars) {
        this.vertx = vertx;
        this.redis = redis;
        this.shards = shards;
        this.text = "m".repeat(textChars);
    }

    record Result(double enqueuedPerSecond, double ackedPerSecond) {
    }

    Result run(Duration duration, AtomicLong acked) {
        List<String> groups = new ArrayList<>();
        for (int g = 0; g < GROUPS; g++) {
            String id = "bench-mb-" + g;
            groups.add(id);
            int s = shards.of(id);
            BenchSupport.await(redis.send(Request.cmd(Command.HSET).arg(Keys.group(s, id)).arg("id").arg(id)), Duration.ofSeconds(10));
            BenchSupport.await(redis.send(Request.cmd(Command.SADD).arg(Keys.groupMembers(s, id)).arg("bench-user")), Duration.ofSeconds(10));
        }
        MessageIntake intake = MessageIntake.builder(redis, shards).guidTtl(Duration.ofMinutes(10)).build();
        AtomicLong enqueued = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        boolean[] producing = {true};
        List<Future<Void>> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            Promise<Void> done = Promise.promise();
            produce(intake, groups, p, deadline, enqueued, done);
            producers.add(done.future());
        }
        List<Future<Void>> consumers = new ArrayList<>();
        for (int s = 0; s < shards.count(); s++) {
            ReliableQueue q = new ReliableQueue(redis, Keys.mailbox(s), "bench-consumer", Duration.ofSeconds(30));
            Promise<Void> done = Promise.promise();
            BenchSupport.await(q.acquire(), Duration.ofSeconds(10));
            consume(q, producing, acked, done);
            consumers.add(done.future());
        }
        BenchSupport.await(Future.all(producers), duration.plusSeconds(60));
        double produceSeconds = (System.nanoTime() - start) / 1e9;
        producing[0] = false;
        BenchSupport.await(Future.all(consumers), Duration.ofSeconds(120));
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(enqueued.get() / produceSeconds, acked.get() / seconds);
    }

    private void produce(MessageIntake intake, List<String> groups, int producer, long deadline, AtomicLong enqueued,
                         Promise<Void> done) {
        if (System.nanoTime() >= deadline) {
            done.complete();
            return;
        }
        String group = groups.get((int) (enqueued.get() + producer) % groups.size());
        // a unique guid without SecureRandom: the load generator's own cost must stay small
        String guid = runId + "-" + producer + "-" + sent.incrementAndGet();
        intake.accept(group, "bench-user", guid, text).onComplete(ar -> {
            if (ar.failed() || ar.result().status() != IntakeResult.Status.ACCEPTED) {
                done.fail(ar.failed() ? ar.cause() : new IllegalStateException("enqueue refused: " + ar.result().status()));
                return;
            }
            enqueued.incrementAndGet();
            produce(intake, groups, producer, deadline, enqueued, done);
        });
    }

    private void consume(ReliableQueue q, boolean[] producing, AtomicLong acked, Promise<Void> done) {
        q.claim(CLAIM_BATCH).compose(entries -> q.ack(entries).map(entries.size())).onComplete(ar -> {
            if (ar.failed()) {
                done.fail(ar.cause());
                return;
            }
            int n = ar.result();
            acked.addAndGet(n);
            if (n == 0 && !producing[0]) {
                q.release().onComplete(x -> done.complete());
            } else if (n == 0) {
                vertx.setTimer(1, id -> consume(q, producing, acked, done));
            } else {
                consume(q, producing, acked, done);
            }
        });
    }
}

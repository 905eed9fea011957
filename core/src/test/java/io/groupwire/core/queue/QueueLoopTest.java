package io.groupwire.core.queue;

import static io.groupwire.core.testing.Eventually.eventually;
import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.config.OwnContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pacing of a loop's rounds, its stop and its end on a lost lease; no Redis involved. */
class QueueLoopTest {
    private Vertx vertx;
    private OwnContext context;
    private Timers timers;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        context = await(OwnContext.create(vertx));
        timers = new Timers(vertx);
    }

    @AfterEach
    void tearDown() {
        await(vertx.close());
    }

    /** A loop whose n-th round (from 0) answers what {@code script} says, recording when each began. */
    private final class ScriptedLoop extends QueueLoop {
        final List<Long> startedNanos = new CopyOnWriteArrayList<>();
        final AtomicBoolean leaseLostCalled = new AtomicBoolean();
        private final IntFunction<Future<Round>> script;

        ScriptedLoop(Duration idlePoll, IntFunction<Future<Round>> script) {
            super(QueueLoopTest.this.vertx, "test-queue", idlePoll);
            this.script = script;
        }

        @Override
        protected Future<Round> round() {
            startedNanos.add(System.nanoTime());
            return script.apply(startedNanos.size() - 1);
        }

        @Override
        protected void leaseLost() {
            leaseLostCalled.set(true);
        }

        long gapMillis(int round) {
            return (startedNanos.get(round) - startedNanos.get(round - 1)) / 1_000_000;
        }
    }

    private void start(QueueLoop loop) {
        await(context.run(v -> {
            loop.start(timers);
            return Future.succeededFuture();
        }));
    }

    private Future<Void> stop(QueueLoop loop) {
        return await(context.run(v -> Future.succeededFuture(loop.stop())));
    }


    @Test
    void aRoundThatDidWorkIsFollowedAtOnce() throws Exception {
        ScriptedLoop loop = new ScriptedLoop(Duration.ofSeconds(5),
                n -> Future.succeededFuture(n < 50 ? new Round.Continue(1) : new Round.WaitFor(Duration.ofHours(1))));
        long began = System.nanoTime();
        start(loop);
        eventually(() -> loop.startedNanos.size() == 51);
        // fifty rounds back to back, none of them waiting for the 5 s idle poll
        assertTrue((System.nanoTime() - began) / 1_000_000 < 2_000);
        await(stop(loop));
    }

    @Test
    void aRoundsWaitIsHonoured() throws Exception {
        ScriptedLoop loop = new ScriptedLoop(Duration.ofMillis(1),
                n -> Future.succeededFuture(n == 0 ? new Round.WaitFor(Duration.ofMillis(300)) : new Round.Continue(1)));
        start(loop);
        eventually(() -> loop.startedNanos.size() >= 2);
        await(stop(loop));
        assertTrue(loop.gapMillis(1) >= 300, "second round after " + loop.gapMillis(1) + " ms");
    }

    @Test
    void idleRoundsWaitLongerEachTimeUpToTheIdlePoll() throws Exception {
        ScriptedLoop loop = new ScriptedLoop(Duration.ofMillis(64), n -> Future.succeededFuture(Round.IDLE));
        start(loop);
        eventually(() -> loop.startedNanos.size() >= 12);
        await(stop(loop));
        // waits of 1, 2, 4 ... 64 ms, then 64 ms each: never much beyond the idle poll
        assertTrue(loop.gapMillis(6) >= 32, "seventh wait " + loop.gapMillis(6) + " ms");
        for (int i = 8; i < 12; i++) {
            long gap = loop.gapMillis(i);
            assertTrue(gap >= 64 && gap < 64 + 200, "idle wait " + gap + " ms");
        }
    }

    @Test
    void aFailedRoundIsTriedAgainAfterABackOff() throws Exception {
        ScriptedLoop loop = new ScriptedLoop(Duration.ofMillis(1), n -> n < 2
                ? Future.failedFuture(new IllegalStateException("Redis away"))
                : Future.succeededFuture(new Round.WaitFor(Duration.ofHours(1))));
        start(loop);
        eventually(() -> loop.startedNanos.size() >= 3);
        await(stop(loop));
        // 50 ms after the first failure, twice that after the second
        assertTrue(loop.gapMillis(1) >= 50, "first retry after " + loop.gapMillis(1) + " ms");
        assertTrue(loop.gapMillis(2) >= 100, "second retry after " + loop.gapMillis(2) + " ms");
    }

    @Test
    void aLostLeaseEndsTheLoopForGood() throws Exception {
        AtomicInteger told = new AtomicInteger();
        ScriptedLoop loop = new ScriptedLoop(Duration.ofMillis(1),
                n -> Future.failedFuture(new LeaseLostException("test-queue")));
        loop.onLeaseLost(told::incrementAndGet);
        start(loop);
        eventually(() -> told.get() == 1);
        Thread.sleep(200);
        assertEquals(1, loop.startedNanos.size(), "no round after the lease was lost");
        assertTrue(loop.leaseLostCalled.get(), "the loop dropped what it had claimed");
        assertEquals(0, timers.pending());
    }

    @Test
    void stopLetsTheRoundInProgressFinish() throws Exception {
        Promise<Round> batch = Promise.promise();
        ScriptedLoop loop = new ScriptedLoop(Duration.ofMillis(1),
                n -> n == 0 ? batch.future() : Future.succeededFuture(new Round.Continue(1)));
        start(loop);
        eventually(() -> loop.startedNanos.size() == 1);
        Future<Void> stopped = stop(loop);
        Thread.sleep(100);
        assertFalse(stopped.isComplete(), "stopped while its batch was still running");
        context.context().runOnContext(v -> batch.complete(new Round.Continue(1)));
        await(stopped);
        Thread.sleep(100);
        assertEquals(1, loop.startedNanos.size(), "no round after the stop");
    }

    @Test
    void stopCancelsTheWaitForTheNextRound() throws Exception {
        ScriptedLoop loop = new ScriptedLoop(Duration.ofMillis(1),
                n -> Future.succeededFuture(new Round.WaitFor(Duration.ofSeconds(30))));
        start(loop);
        eventually(() -> loop.startedNanos.size() == 1 && timers.pending() == 1);
        long began = System.nanoTime();
        await(stop(loop));
        assertTrue((System.nanoTime() - began) / 1_000_000 < 1_000, "stop waited for the next round's timer");
        assertEquals(0, timers.pending(), "the wait's timer is cancelled");
        assertEquals(1, loop.startedNanos.size());
    }

    @Test
    void aSleepInsideARoundIsARunnerTimer() throws Exception {
        AtomicInteger woke = new AtomicInteger();
        ScriptedLoop[] holder = new ScriptedLoop[1];
        holder[0] = new ScriptedLoop(Duration.ofMillis(1), n -> n == 0
                ? holder[0].sleep(100).map(v -> {
                    woke.incrementAndGet();
                    return (Round) new Round.WaitFor(Duration.ofHours(1));
                })
                : Future.succeededFuture(Round.IDLE));
        start(holder[0]);
        eventually(() -> woke.get() == 1);
        await(stop(holder[0]));
        timers.cancelAll();
        // once the runner cancelled its timers, a sleep fails instead of waiting for ever
        Boolean refused = await(context.run(v -> holder[0].sleep(10).map(x -> false).otherwise(true)));
        assertTrue(refused);
    }
}

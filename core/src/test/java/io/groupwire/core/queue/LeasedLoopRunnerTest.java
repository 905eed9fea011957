package io.groupwire.core.queue;

import static io.groupwire.core.testing.Eventually.eventually;
import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.config.OwnContext;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.testing.RedisTestBase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The runner's whole lifecycle against Redis: loops per owned queue, a graceful stop, nothing after it. */
class LeasedLoopRunnerTest extends RedisTestBase {
    private static final int QUEUES = 3;

    /** Claims up to ten entries a round and acknowledges them, recording what it consumed. */
    private static final class ConsumingLoop extends QueueLoop {
        final ReliableQueue queue;
        final List<String> consumed;
        volatile Promise<Void> holdNextBatch;

        ConsumingLoop(ReliableQueue queue, List<String> consumed) {
            super(LeasedLoopRunnerTest.vertx, queue.keys().queue(), Duration.ofMillis(20));
            this.queue = queue;
            this.consumed = consumed;
        }

        @Override
        protected Future<Round> round() {
            return queue.claim(10).compose(entries -> {
                if (entries.isEmpty()) {
                    return Future.succeededFuture(Round.IDLE);
                }
                Future<Void> held = holdNextBatch == null ? Future.succeededFuture() : holdNextBatch.future();
                holdNextBatch = null;
                // a held batch acknowledges only its first entry: the rest stays claimed
                List<String> done = held.succeeded() ? entries : entries.subList(0, 1);
                return held.compose(v -> queue.ack(done)).map(n -> {
                    consumed.addAll(done);
                    return Round.handled(n);
                });
            });
        }
    }

    private final List<String> consumed = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> loopsMade = new ConcurrentHashMap<>();
    private final Map<String, ConsumingLoop> lastLoop = new ConcurrentHashMap<>();

    private LeasedLoopRunner runner(String worker, Duration lease) {
        List<ReliableQueue> queues = new ArrayList<>();
        for (int i = 0; i < QUEUES; i++) {
            queues.add(new ReliableQueue(redis, Keys.mailbox(i), worker, lease));
        }
        return new LeasedLoopRunner(vertx, redis, new LeaseTerms("test", worker, lease), queues, queue -> {
            loopsMade.computeIfAbsent(queue.keys().queue(), k -> new AtomicInteger()).incrementAndGet();
            ConsumingLoop loop = new ConsumingLoop(queue, consumed);
            lastLoop.put(queue.keys().queue(), loop);
            return loop;
        });
    }

    private static <T> T on(OwnContext context, java.util.function.Supplier<Future<T>> work) {
        return await(context.run(v -> work.get()));
    }

    private static void push(int queue, String entry) {
        await(redis.send(Request.cmd(Command.LPUSH).arg(Keys.mailbox(queue).queue()).arg(entry)));
    }

    private static String leaseHolder(int queue) {
        Response r = await(redis.send(Request.cmd(Command.GET).arg(Keys.mailbox(queue).lease())));
        return r == null ? null : r.toString();
    }

    /** Calls per command that this Redis has served, from INFO commandstats, without INFO itself. */
    private static Map<String, Long> commandCalls() {
        Map<String, Long> calls = new TreeMap<>();
        String info = await(redis.send(Request.cmd(Command.INFO).arg("commandstats"))).toString();
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                String count = line.substring(line.indexOf("calls=") + 6, line.indexOf(','));
                calls.put(name, Long.parseLong(count));
            }
        }
        return calls;
    }


    @Test
    void runsOneLoopPerOwnedQueueUntilEverythingIsConsumed() throws Exception {
        OwnContext context = await(OwnContext.create(vertx));
        LeasedLoopRunner runner = runner("w", Duration.ofSeconds(5));
        on(context, runner::start);
        assertEquals(QUEUES, runner.ownedQueues());
        for (int i = 0; i < 30; i++) {
            push(i % QUEUES, "m" + i);
        }
        eventually(() -> consumed.size() == 30);
        assertEquals(QUEUES, runner.runningLoops());
        on(context, runner::stop);
    }

    @Test
    void afterStopNoTimerIsLeftAndRedisHearsNothingMoreFromTheInstance() throws Exception {
        OwnContext context = await(OwnContext.create(vertx));
        LeasedLoopRunner runner = runner("w", Duration.ofMillis(300));
        AtomicInteger pings = new AtomicInteger();
        on(context, () -> {
            // a service's own periodic work rides on the runner's timers
            runner.timers().every(20, () -> redis.send(Request.cmd(Command.PING)).onSuccess(r -> pings.incrementAndGet()));
            return runner.start();
        });
        // idle loops poll every 20 ms, the leases renew every 100 ms
        eventually(() -> pings.get() > 5);
        on(context, runner::stop);
        assertTrue(runner.timers().cancelled());
        assertEquals(0, runner.timers().pending());
        assertEquals(0, runner.runningLoops());
        Thread.sleep(100); // answers to commands sent just before the stop completed
        Map<String, Long> before = commandCalls();
        // several renewal periods and idle polls later
        Thread.sleep(600);
        assertEquals(before, commandCalls(), "commands reached Redis after the stop");
        for (int i = 0; i < QUEUES; i++) {
            assertNull(leaseHolder(i));
        }
    }

    @Test
    void stopFinishesTheBatchInProgressThenReturnsWhatIsStillClaimed() throws Exception {
        OwnContext context = await(OwnContext.create(vertx));
        LeasedLoopRunner runner = runner("w", Duration.ofSeconds(5));
        on(context, runner::start);
        Promise<Void> batch = Promise.promise();
        String q0 = Keys.mailbox(0).queue();
        lastLoop.get(q0).holdNextBatch = batch;
        // one command, so that the loop claims the three together
        await(redis.send(Request.cmd(Command.LPUSH).arg(q0).arg("a").arg("b").arg("c")));
        eventually(() -> await(redis.send(Request.cmd(Command.LLEN).arg(Keys.mailbox(0).inflight()))).toLong() == 3);
        Future<Void> stopped = on(context, () -> Future.succeededFuture(runner.stop()));
        Thread.sleep(200);
        assertFalse(stopped.isComplete(), "stopped while a batch was in progress");
        assertEquals("w", leaseHolder(0), "the lease was given up under a running batch");
        context.context().runOnContext(v -> batch.complete());
        await(stopped);
        // the batch acknowledged "a"; "b" and "c" are back at the head of the queue, and the lease is
        // free: the next owner takes them at once, in order
        assertEquals(List.of("a"), consumed);
        assertNull(leaseHolder(0));
        ReliableQueue next = new ReliableQueue(redis, Keys.mailbox(0), "next", Duration.ofSeconds(5));
        LeaseState taken = await(next.acquire());
        assertTrue(taken.held());
        assertEquals(0, taken.recovered());
        assertEquals(List.of("b", "c"), await(next.claim(10)));
    }

    @Test
    void aLoopThatLostItsLeaseIsReplacedOnceTheLeaseIsFreeAgain() throws Exception {
        OwnContext context = await(OwnContext.create(vertx));
        LeasedLoopRunner runner = runner("w", Duration.ofMillis(300));
        on(context, runner::start);
        String q0 = Keys.mailbox(0).queue();
        assertEquals(1, loopsMade.get(q0).get());
        // another worker holds the lease for a while (w was paused past it): w's loop finds out on its next claim
        await(redis.send(Request.cmd(Command.SET).arg(Keys.mailbox(0).lease()).arg("other").arg("PX").arg(600)));
        eventually(() -> loopsMade.get(q0).get() == 2);
        assertEquals("w", leaseHolder(0));
        push(0, "after");
        eventually(() -> consumed.contains("after"));
        on(context, runner::stop);
    }

    @Test
    void aBatchLongerThanTheLeaseKeepsItsLeaseThroughStopAndThePeerTakesTheQueueOnlyOnceReleased() throws Exception {
        OwnContext a = await(OwnContext.create(vertx));
        LeasedLoopRunner first = runner("a", Duration.ofMillis(300));
        on(a, first::start);
        Promise<Void> batch = Promise.promise();
        String q0 = Keys.mailbox(0).queue();
        lastLoop.get(q0).holdNextBatch = batch;
        await(redis.send(Request.cmd(Command.LPUSH).arg(q0).arg("a").arg("b").arg("c")));
        eventually(() -> await(redis.send(Request.cmd(Command.LLEN).arg(Keys.mailbox(0).inflight()))).toLong() == 3);
        // a peer waits for the queues; it must not get queue 0 while the batch runs
        OwnContext b = await(OwnContext.create(vertx));
        LeasedLoopRunner peer = runner("b", Duration.ofMillis(300));
        on(b, peer::start);
        Future<Void> stopped = on(a, () -> Future.succeededFuture(first.stop()));
        // four lease lengths: the lease was renewed all along, not left to lapse
        Thread.sleep(1_200);
        assertFalse(stopped.isComplete());
        assertEquals("a", leaseHolder(0), "the lease lapsed under a running batch");
        a.context().runOnContext(v -> batch.complete());
        await(stopped);
        // released, not expired: the peer takes it at its next lease round, with what was still claimed
        eventually(Duration.ofMillis(250), () -> "b".equals(leaseHolder(0)));
        eventually(() -> consumed.containsAll(List.of("a", "b", "c")));
        on(b, peer::stop);
    }

    @Test
    void aQueueShedForANewcomerStaysRenewedUntilItsBatchEndsAndIsThenReleased() throws Exception {
        OwnContext a = await(OwnContext.create(vertx));
        LeasedLoopRunner first = runner("a", Duration.ofMillis(300));
        on(a, first::start);
        assertEquals(QUEUES, first.ownedQueues());
        // every queue busy with a batch that outlasts the lease
        List<Promise<Void>> batches = new ArrayList<>();
        for (int i = 0; i < QUEUES; i++) {
            Promise<Void> p = Promise.promise();
            batches.add(p);
            lastLoop.get(Keys.mailbox(i).queue()).holdNextBatch = p;
            await(redis.send(Request.cmd(Command.LPUSH).arg(Keys.mailbox(i).queue()).arg("x" + i).arg("y" + i)));
        }
        for (int i = 0; i < QUEUES; i++) {
            int q = i;
            eventually(() -> await(redis.send(Request.cmd(Command.LLEN).arg(Keys.mailbox(q).inflight()))).toLong() == 2);
        }
        OwnContext b = await(OwnContext.create(vertx));
        LeasedLoopRunner newcomer = runner("b", Duration.ofMillis(300));
        on(b, newcomer::start);
        // the first instance sheds one queue, but its batch runs on: the lease must not lapse meanwhile
        eventually(() -> first.ownedQueues() == 2);
        Thread.sleep(1_200);
        for (int i = 0; i < QUEUES; i++) {
            assertEquals("a", leaseHolder(i), "queue " + i + " changed hands under a running batch");
        }
        a.context().runOnContext(v -> batches.forEach(Promise::tryComplete));
        eventually(() -> newcomer.ownedQueues() == 1);
        // each held batch acknowledged its first entry; the shed queue's second went back with the
        // release and the newcomer consumed it
        eventually(() -> consumed.size() == QUEUES + 1);
        on(a, first::stop);
        on(b, newcomer::stop);
    }
}

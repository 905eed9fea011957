package io.groupwire.core.queue;

import static io.groupwire.core.testing.Eventually.eventually;
import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.config.OwnContext;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.testing.RedisTestBase;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How instances share, renew, take over and give back the leases of a set of queues, against Redis. */
class QueueOwnershipTest extends RedisTestBase {
    private static final int QUEUES = 4;
    private final List<Instance> instances = new ArrayList<>();

    /** One instance's ownership, with what its listener was told. */
    private final class Instance implements QueueOwnership.Listener {
        final OwnContext context = await(OwnContext.create(vertx));
        final Timers timers = new Timers(vertx);
        final Map<String, Integer> acquired = new ConcurrentHashMap<>();
        final Map<String, Integer> lost = new ConcurrentHashMap<>();
        final QueueOwnership ownership;
        final String worker;

        Instance(String worker, Duration lease) {
            this.worker = worker;
            this.ownership = new QueueOwnership(redis, timers, new LeaseTerms("test", worker, lease),
                    queues(worker, lease), this);
        }

        @Override
        public void acquired(ReliableQueue queue) {
            acquired.merge(queue.keys().queue(), 1, Integer::sum);
        }

        @Override
        public Future<Void> lost(ReliableQueue queue) {
            lost.merge(queue.keys().queue(), 1, Integer::sum);
            return Future.succeededFuture();
        }

        Instance start() {
            instances.add(this);
            await(context.run(v -> ownership.start()));
            return this;
        }

        void stop() {
            await(context.run(v -> ownership.stop()));
            timers.cancelAll();
        }

        int owned() {
            return ownership.owned().size();
        }
    }

    private static List<ReliableQueue> queues(String worker, Duration lease) {
        List<ReliableQueue> qs = new ArrayList<>();
        for (int i = 0; i < QUEUES; i++) {
            qs.add(new ReliableQueue(redis, Keys.mailbox(i), worker, lease));
        }
        return qs;
    }

    @AfterEach
    void stopAll() {
        for (Instance i : instances) {
            i.stop();
        }
    }

    private String leaseHolder(int queue) {
        Response r = await(redis.send(Request.cmd(Command.GET).arg(Keys.mailbox(queue).lease())));
        return r == null ? null : r.toString();
    }


    @Test
    void aLoneInstanceTakesEveryQueueAndKeepsItsLeasesPastTheirLength() throws Exception {
        Instance a = new Instance("a", Duration.ofMillis(300)).start();
        assertEquals(QUEUES, a.owned());
        // three lease lengths later the leases are still its own: they were renewed
        Thread.sleep(900);
        for (int i = 0; i < QUEUES; i++) {
            assertEquals("a", leaseHolder(i));
        }
        assertEquals(QUEUES, a.acquired.size());
        assertTrue(a.lost.isEmpty());
    }

    @Test
    void twoInstancesShareTheQueuesAndTheFirstGivesItsExtraOnesBack() throws Exception {
        Instance a = new Instance("a", Duration.ofMillis(600)).start();
        assertEquals(QUEUES, a.owned());
        Instance b = new Instance("b", Duration.ofMillis(600)).start();
        eventually(() -> a.owned() == 2 && b.owned() == 2);
        Set<String> holders = new HashSet<>();
        int heldByB = 0;
        for (int i = 0; i < QUEUES; i++) {
            holders.add(leaseHolder(i));
            heldByB += "b".equals(leaseHolder(i)) ? 1 : 0;
        }
        assertEquals(Set.of("a", "b"), holders);
        assertEquals(2, heldByB);
        // a was told to stop consuming the two it gave up, before they were released to b
        assertEquals(2, a.lost.size());
    }

    @Test
    void aDeadInstancesQueuesAreTakenOverOnceItsLeasesExpireWithWhatItHadClaimed() throws Exception {
        // an instance that held every queue, claimed two entries of queue 0, and died
        for (ReliableQueue q : queues("dead", Duration.ofMillis(700))) {
            assertTrue(await(q.acquire()).held());
        }
        ReliableQueue deadQueue0 = queues("dead", Duration.ofMillis(700)).get(0);
        await(deadQueue0.push("m1"));
        await(deadQueue0.push("m2"));
        await(deadQueue0.push("m3"));
        assertEquals(List.of("m1", "m2"), await(deadQueue0.claim(2)));

        Instance heir = new Instance("heir", Duration.ofMillis(300)).start();
        assertEquals(0, heir.owned(), "took a queue whose lease was still held");
        eventually(() -> heir.owned() == QUEUES);
        for (int i = 0; i < QUEUES; i++) {
            assertEquals("heir", leaseHolder(i));
        }
        // the dead instance's claims went back to the head of the queue, in order
        ReliableQueue heirQueue0 = queues("heir", Duration.ofMillis(300)).get(0);
        assertEquals(0L, await(heirQueue0.inflight()));
        assertEquals(List.of("m1", "m2", "m3"), await(heirQueue0.claim(10)));
    }

    @Test
    void stopReleasesEveryLeaseAndLeavesTheRegistry() throws Exception {
        Instance a = new Instance("a", Duration.ofSeconds(10)).start();
        ReliableQueue q0 = queues("a", Duration.ofSeconds(10)).get(0);
        await(q0.push("m1"));
        await(q0.claim(1));
        a.stop();
        instances.remove(a);
        for (int i = 0; i < QUEUES; i++) {
            assertNull(leaseHolder(i), "lease " + i + " still held after stop");
        }
        assertEquals(QUEUES, a.lost.size());
        assertNull(await(redis.send(Request.cmd(Command.ZSCORE).arg("gw:workers:test").arg("a"))));
        // what was claimed is back in the queue for the next owner, who need not wait for a lease to run out
        assertEquals(1L, await(q0.depth()));
        Instance b = new Instance("b", Duration.ofSeconds(10)).start();
        assertEquals(QUEUES, b.owned());
    }

    @Test
    void aForfeitedQueueIsTakenAgainOnceItsLeaseIsFree() throws Exception {
        Instance a = new Instance("a", Duration.ofMillis(300)).start();
        String q0 = Keys.mailbox(0).queue();
        assertEquals(1, a.acquired.get(q0));
        // another worker holds the lease for a moment (a is paused, say); a's consumer notices and forfeits
        await(redis.send(Request.cmd(Command.SET).arg(Keys.mailbox(0).lease()).arg("other").arg("PX").arg(500)));
        a.ownership.forfeit(queues("a", Duration.ofMillis(300)).get(0));
        assertEquals(QUEUES - 1, a.owned());
        eventually(() -> a.acquired.get(q0) == 2);
        assertEquals("a", leaseHolder(0));
        assertEquals(QUEUES, a.owned());
    }
}

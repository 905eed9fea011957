package io.groupwire.core.queue;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.redis.Keys;
import io.groupwire.core.testing.RedisTestBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReliableQueueTest extends RedisTestBase {

    private ReliableQueue queue(String worker, Duration lease) {
        return new ReliableQueue(redis, Keys.mailbox(0), worker, lease);
    }

    @Test
    void claimsInFifoOrderInBatches() {
        ReliableQueue q = queue("w1", Duration.ofSeconds(10));
        for (int i = 0; i < 10; i++) {
            await(q.push("m" + i));
        }
        assertTrue(await(q.acquire()).held());
        assertEquals(List.of("m0", "m1", "m2", "m3"), await(q.claim(4)));
        assertEquals(List.of("m4", "m5", "m6", "m7", "m8", "m9"), await(q.claim(100)));
        assertEquals(List.of(), await(q.claim(100)));
        assertEquals(10L, await(q.inflight()));
        assertEquals(10, await(q.ack(List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"))));
        assertEquals(0L, await(q.inflight()));
    }

    @Test
    void onlyTheLeaseHolderClaims() {
        ReliableQueue a = queue("a", Duration.ofSeconds(10));
        ReliableQueue b = queue("b", Duration.ofSeconds(10));
        await(a.push("x"));
        assertTrue(await(a.acquire()).held());
        assertFalse(await(b.acquire()).held());
        Exception e = assertThrows(RuntimeException.class, () -> await(b.claim(10)));
        assertInstanceOf(LeaseLostException.class, e);
        assertEquals(List.of("x"), await(a.claim(10)));
    }

    @Test
    void anExpiredClaimReturnsToTheHeadInOrder() throws Exception {
        ReliableQueue dead = queue("dead", Duration.ofMillis(200));
        for (int i = 0; i < 5; i++) {
            await(dead.push("m" + i));
        }
        assertTrue(await(dead.acquire()).held());
        assertEquals(List.of("m0", "m1", "m2"), await(dead.claim(3)));
        // the worker dies here: no ack, no renewal
        Thread.sleep(400);
        ReliableQueue heir = queue("heir", Duration.ofSeconds(10));
        LeaseState state = await(heir.acquire());
        assertTrue(state.held());
        assertEquals(3, state.recovered());
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), await(heir.claim(10)));
        // the dead worker's late ack must not remove the heir's claims
        assertThrows(LeaseLostException.class, () -> await(dead.ack(List.of("m0"))));
        assertEquals(5L, await(heir.inflight()));
    }

    @Test
    void releaseReturnsClaimsAndFreesTheLease() {
        ReliableQueue a = queue("a", Duration.ofSeconds(10));
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            items.add("m" + i);
            await(a.push("m" + i));
        }
        await(a.acquire());
        await(a.claim(2));
        assertEquals(2, await(a.release()));
        ReliableQueue b = queue("b", Duration.ofSeconds(10));
        assertTrue(await(b.acquire()).held());
        assertEquals(items, await(b.claim(10)));
    }

    @Test
    void anInOrderAckSendsTheCountAndTheEndsNotEveryEntry() {
        ReliableQueue q = queue("w", Duration.ofSeconds(10));
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            entries.add("{\"id\":\"m" + i + "\",\"text\":\"" + "x".repeat(200) + "\"}");
            await(q.push(entries.get(i)));
        }
        await(q.acquire());
        List<String> first = await(q.claim(30));
        await(q.claim(30));
        await(redis.send(Request.cmd(Command.CONFIG).arg("SET").arg("slowlog-log-slower-than").arg("0")));
        try {
            await(redis.send(Request.cmd(Command.SLOWLOG).arg("RESET")));
            assertEquals(30, await(q.ack(first)));
            int ackArguments = -1;
            for (Response entry : await(redis.send(Request.cmd(Command.SLOWLOG).arg("GET").arg("10")))) {
                Response args = entry.get(3);
                if (args.get(0).toString().equalsIgnoreCase("evalsha")) {
                    ackArguments = args.size();
                }
            }
            // EVALSHA sha 2 inflight lease worker run count first last
            assertEquals(10, ackArguments);
        } finally {
            await(redis.send(Request.cmd(Command.CONFIG).arg("SET").arg("slowlog-log-slower-than").arg("10000")));
        }
        assertEquals(20L, await(q.inflight()));
        assertEquals(20, await(q.ack(entries.subList(30, 50))));
        assertEquals(0L, await(q.inflight()));
    }

    @Test
    void anOutOfOrderAckRemovesExactlyItsEntries() {
        ReliableQueue q = queue("w", Duration.ofSeconds(10));
        for (int i = 0; i < 6; i++) {
            await(q.push("m" + i));
        }
        await(q.acquire());
        await(q.claim(6));
        assertEquals(2, await(q.ack(List.of("m2", "m3"))));
        assertEquals(1, await(q.ack(List.of("m5"))));
        assertEquals(List.of("m0", "m1", "m4"), await(redis.send(Request.cmd(Command.LRANGE)
                .arg(Keys.mailbox(0).inflight()).arg(0).arg(-1))).stream().map(Response::toString).toList());
        assertEquals(3, await(q.ack(List.of("m0", "m1", "m4"))));
        assertEquals(0L, await(q.inflight()));
    }

    @Test
    void aLateAckFromAnEarlierLeaseOfTheSameWorkerRemovesNoNewerClaim() throws Exception {
        ReliableQueue q = queue("w", Duration.ofMillis(200));
        for (int i = 0; i < 6; i++) {
            await(q.push("m" + i));
        }
        await(q.acquire());
        List<String> stale = await(q.claim(2));
        // the lease runs out (a long pause); the same worker takes the queue again and moves on
        Thread.sleep(400);
        assertEquals(2, await(q.acquire()).recovered());
        assertEquals(4, await(q.ack(await(q.claim(4)))));
        assertEquals(List.of("m4", "m5"), await(q.claim(2)));
        // the first lease's ack arrives only now: it names two entries, and the two at the head
        // are not they, so nothing is trimmed by count
        assertEquals(0, await(q.ack(stale)));
        assertEquals(2L, await(q.inflight()));
    }
}

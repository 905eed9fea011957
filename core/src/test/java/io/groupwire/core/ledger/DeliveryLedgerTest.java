package io.groupwire.core.ledger;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.fanout.FanoutBatch;
import io.groupwire.core.fanout.FanoutLedger;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.queue.ReliableQueue;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.NotReplicatedException;
import io.groupwire.core.redis.RedisProcess;
import io.groupwire.core.redis.RedisSettings;
import io.groupwire.core.testing.RedisServers;
import io.groupwire.core.testing.RedisTestBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A ledger lives for the TTL while deliveries are open, and only briefly once all are settled. */
class DeliveryLedgerTest extends RedisTestBase {
    @Test
    void aFullySettledLedgerIsKeptOnlyBriefly() {
        ReliableQueue mailbox = new ReliableQueue(redis, Keys.mailbox(0), "w", Duration.ofSeconds(10));
        await(mailbox.push("raw-m1"));
        await(mailbox.acquire());
        await(mailbox.claim(1));
        Delivery a = Delivery.builder().id("da").messageId("m1").groupId("g").groupName("G").senderId("s").senderName("S")
                .recipientId("r1").channel(Channel.SMS).address("+15550000001").text("t").acceptedAtMillis(1).build();
        Delivery b = Delivery.builder().id("db").messageId("m1").groupId("g").groupName("G").senderId("s").senderName("S")
                .recipientId("r2").channel(Channel.SMS).address("+15550000002").text("t").acceptedAtMillis(1).build();
        await(new FanoutLedger(redis, 0, "w", Duration.ofHours(3)).apply(new FanoutBatch().fan("raw-m1", "m1", List.of(a, b))));
        String ledgerKey = Keys.ledger(0, "m1");
        assertTrue(ttl(redis, ledgerKey) > 3 * 3600 - 60);

        ReliableQueue outbox = new ReliableQueue(redis, Keys.outbox(0, Channel.SMS), "p", Duration.ofSeconds(10));
        await(outbox.acquire());
        List<String> claimed = await(outbox.claim(10));
        DeliveryLedger ledger = new DeliveryLedger(redis, 0, Channel.SMS, "p");
        await(ledger.begin(List.of("m1", "m1"), List.of("da", "db"), 1));
        await(ledger.complete(List.of(Completion.settled(claimed.get(0), "m1", "da", DeliveryState.SENT))));
        assertTrue(ttl(redis, ledgerKey) > 3 * 3600 - 60, "one delivery still open");
        // settling the same delivery twice (a retried save) must not close the ledger early
        await(ledger.complete(List.of(Completion.settled(claimed.get(0), "m1", "da", DeliveryState.SENT))));
        assertTrue(ttl(redis, ledgerKey) > 3 * 3600 - 60, "still one open");
        await(ledger.complete(List.of(Completion.settled(claimed.get(1), "m1", "db", DeliveryState.FAILED))));
        long ttl = ttl(redis, ledgerKey);
        assertTrue(ttl > 0 && ttl <= DeliveryLedger.DEFAULT_SETTLED_TTL.toSeconds(), "ttl " + ttl);
        assertEquals("sent", await(redis.send(Request.cmd(Command.HGET).arg(ledgerKey).arg("da"))).toString());
    }

    @Test
    void aBatchOfManyLedgersIsMarkedAndSettledPerDeliveryWhateverItsOrder() {
        String k1 = Keys.ledger(0, "m1");
        String k2 = Keys.ledger(0, "m2");
        await(redis.send(Request.cmd(Command.HSET).arg(k1).arg("a").arg("queued").arg("b").arg("retry")
                .arg("c").arg("sent").arg("_open").arg(2)));
        await(redis.send(Request.cmd(Command.HSET).arg(k2).arg("x").arg("sending:old:1").arg("y").arg("queued")
                .arg("z").arg("queued").arg("_open").arg(3)));
        await(redis.send(Request.cmd(Command.EXPIRE).arg(k1).arg(3600)));
        await(redis.send(Request.cmd(Command.EXPIRE).arg(k2).arg(3600)));
        ReliableQueue outbox = new ReliableQueue(redis, Keys.outbox(0, Channel.APNS), "p", Duration.ofSeconds(10));
        for (String e : List.of("e-a", "e-x", "e-b", "e-y", "e-y", "e-c", "e-gone", "e-z")) {
            await(outbox.push(e));
        }
        await(outbox.acquire());
        List<String> claimed = await(outbox.claim(10));
        assertEquals(List.of("e-a", "e-x", "e-b", "e-y", "e-y", "e-c", "e-gone", "e-z"), claimed);
        DeliveryLedger ledger = new DeliveryLedger(redis, 0, Channel.APNS, "p");
        // messages interleaved, a straggling copy of y in the same batch, a message whose ledger is gone
        List<Verdict> verdicts = await(ledger.begin(List.of("m1", "m2", "m1", "m2", "m2", "m1", "m3", "m2"),
                List.of("a", "x", "b", "y", "y", "c", "g", "z"), 5));
        assertEquals(List.of(Verdict.GO, Verdict.AMBIGUOUS, Verdict.GO, Verdict.GO, Verdict.AMBIGUOUS, Verdict.DONE,
                Verdict.GONE, Verdict.GO), verdicts);
        assertEquals("1", await(redis.send(Request.cmd(Command.HGET).arg(k2).arg("amb:y"))).toString());

        // acknowledged out of claim order: every entry is removed one by one
        List<Completion> done = List.of(
                Completion.settled("e-a", "m1", "a", DeliveryState.SENT),
                Completion.settled("e-x", "m2", "x", DeliveryState.SENT),
                Completion.retry("e-b", "m1", "b", 1_000, "e-b2", true),
                Completion.settled("e-y", "m2", "y", DeliveryState.SENT),
                Completion.settled("e-y", "m2", "y", DeliveryState.SENT),
                Completion.ackOnly("e-c", "m1", "c"),
                Completion.ackOnly("e-gone", "m3", "g"),
                Completion.settled("e-z", "m2", "z", DeliveryState.DEAD_LETTER));
        List<Completion> shuffled = new java.util.ArrayList<>(done);
        java.util.Collections.swap(shuffled, 0, 7);
        assertEquals(8, await(ledger.complete(shuffled)));
        assertEquals(0L, await(outbox.inflight()));
        assertEquals("sent", await(redis.send(Request.cmd(Command.HGET).arg(k1).arg("a"))).toString());
        assertEquals("retry", await(redis.send(Request.cmd(Command.HGET).arg(k1).arg("b"))).toString());
        assertEquals("1", await(redis.send(Request.cmd(Command.HGET).arg(k1).arg("amb:b"))).toString());
        assertEquals("sent", await(redis.send(Request.cmd(Command.HGET).arg(k1).arg("c"))).toString());
        assertEquals("dead_letter", await(redis.send(Request.cmd(Command.HGET).arg(k2).arg("z"))).toString());
        // y settled once although listed twice: m1 keeps b open, m2 has none left and is kept briefly
        assertEquals("1", await(redis.send(Request.cmd(Command.HGET).arg(k1).arg("_open"))).toString());
        assertEquals("0", await(redis.send(Request.cmd(Command.HGET).arg(k2).arg("_open"))).toString());
        assertTrue(ttl(redis, k1) > 3000);
        assertTrue(ttl(redis, k2) <= DeliveryLedger.DEFAULT_SETTLED_TTL.toSeconds());
        assertEquals(0L, await(redis.send(Request.cmd(Command.EXISTS).arg(Keys.ledger(0, "m3")))).toLong());
        assertEquals(List.of("e-b2"), strings(await(redis.send(Request.cmd(Command.ZRANGE)
                .arg(Keys.retry(0, Channel.APNS)).arg(0).arg(-1)))));
        assertEquals(List.of("e-z"), strings(await(redis.send(Request.cmd(Command.LRANGE)
                .arg(Keys.deadLetters(0, Channel.APNS)).arg(0).arg(-1)))));

        // in claim order, the usual case: acknowledged as the in-flight list's head run
        await(outbox.push("e-1"));
        await(outbox.push("e-2"));
        await(outbox.push("e-3"));
        assertEquals(3, await(outbox.claim(10)).size());
        await(redis.send(Request.cmd(Command.HSET).arg(k1).arg("d1").arg("queued").arg("d2").arg("queued")));
        assertEquals(2, await(ledger.complete(List.of(Completion.settled("e-1", "m1", "d1", DeliveryState.SENT),
                Completion.settled("e-2", "m1", "d2", DeliveryState.SENT)))));
        assertEquals(1L, await(outbox.inflight()));
        assertEquals("sent", await(redis.send(Request.cmd(Command.HGET).arg(k1).arg("d2"))).toString());
    }

    @Test
    void aDeliveryFoundMidSendIsAmbiguousAndRemembersIt() {
        String ledgerKey = Keys.ledger(0, "m2");
        await(redis.send(Request.cmd(Command.HSET).arg(ledgerKey).arg("dx").arg("queued").arg("_open").arg(1)));
        DeliveryLedger crashed = new DeliveryLedger(redis, 0, Channel.APNS, "p1");
        assertEquals(List.of(Verdict.GO), await(crashed.begin(List.of("m2"), List.of("dx"), 1)));
        assertNull(await(redis.send(Request.cmd(Command.HGET).arg(ledgerKey).arg("amb:dx"))));
        // p1 died mid-send; the next owner cannot know whether the provider has it
        DeliveryLedger next = new DeliveryLedger(redis, 0, Channel.APNS, "p2");
        assertEquals(List.of(Verdict.AMBIGUOUS), await(next.begin(List.of("m2"), List.of("dx"), 2)));
        assertTrue(await(redis.send(Request.cmd(Command.HGET).arg(ledgerKey).arg("dx"))).toString().startsWith("sending:p2:"));
        assertEquals("1", await(redis.send(Request.cmd(Command.HGET).arg(ledgerKey).arg("amb:dx"))).toString());
    }

    @Test
    void aRepeatedBeginTakesBackOnlyItsOwnUnsentMarks() {
        String ledgerKey = Keys.ledger(0, "m3");
        await(redis.send(Request.cmd(Command.HSET).arg(ledgerKey).arg("dy").arg("queued").arg("_open").arg(1)));
        DeliveryLedger p1 = new DeliveryLedger(redis, 0, Channel.SMS, "p1");
        // a begin at 10 whose answer p1 never got (say, the replicas did not acknowledge it)
        assertEquals(List.of(Verdict.GO), await(p1.begin(List.of("m3"), List.of("dy"), 10)));
        // the repeat names it: nothing was sent, so it is a first attempt, not an ambiguous one
        assertEquals(List.of(Verdict.GO), await(p1.begin(List.of("m3"), List.of("dy"), 20, 10)));
        assertNull(await(redis.send(Request.cmd(Command.HGET).arg(ledgerKey).arg("amb:dy"))));
        // a mark from another begin (20, possibly sent) or of another worker stays ambiguous
        assertEquals(List.of(Verdict.AMBIGUOUS), await(p1.begin(List.of("m3"), List.of("dy"), 30, 10)));
        DeliveryLedger p2 = new DeliveryLedger(redis, 0, Channel.SMS, "p2");
        assertEquals(List.of(Verdict.AMBIGUOUS), await(p2.begin(List.of("m3"), List.of("dy"), 40, 30)));
    }

    @Test
    void aReplicatedBeginFailsUntilAReplicaHoldsTheMarks() throws Exception {
        // a primary of its own, so that a replica can be attached to it
        try (RedisProcess primary = RedisServers.startTemporary()) {
            Redis onPrimary = Redis.createClient(vertx, RedisSettings.single(primary.url(), 16).toOptions());
            String ledgerKey = Keys.ledger(0, "m4");
            await(onPrimary.send(Request.cmd(Command.HSET).arg(ledgerKey).arg("dz").arg("queued").arg("_open").arg(1)));
            DeliveryLedger ledger = new DeliveryLedger(onPrimary, 0, Channel.SMS, "p1", DeliveryLedger.Options.DEFAULTS.withBeginReplicas(1, Duration.ofMillis(100)));
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> await(ledger.begin(List.of("m4"), List.of("dz"), 10)));
            assertInstanceOf(NotReplicatedException.class, e);
            try (RedisProcess replica = RedisServers.start(0, Files.createTempDirectory("gw-ledger-replica"),
                    List.of("--replicaof", "127.0.0.1", Integer.toString(primary.port())))) {
                long last = 10;
                List<Verdict> verdicts = null;
                for (int i = 1; i <= 100 && verdicts == null; i++) {
                    try {
                        verdicts = await(ledger.begin(List.of("m4"), List.of("dz"), last + i, last + i - 1));
                    } catch (NotReplicatedException notYet) {
                        Thread.sleep(100);
                    }
                }
                assertEquals(List.of(Verdict.GO), verdicts, "a replica acknowledged the marks");
                Redis onReplica = Redis.createClient(vertx, RedisSettings.single(replica.url(), 16).toOptions());
                assertTrue(await(onReplica.send(Request.cmd(Command.HGET).arg(ledgerKey).arg("dz"))).toString()
                        .startsWith("sending:p1:"), "the replica holds the mark");
                onReplica.close();
            } finally {
                onPrimary.close();
            }
        }
    }

    private static long ttl(Redis redis, String key) {
        return await(redis.send(Request.cmd(Command.TTL).arg(key))).toLong();
    }

    private static List<String> strings(io.vertx.redis.client.Response r) {
        List<String> out = new java.util.ArrayList<>();
        for (io.vertx.redis.client.Response e : r) {
            out.add(e.toString());
        }
        return out;
    }
}

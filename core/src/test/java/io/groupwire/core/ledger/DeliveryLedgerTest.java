package io.groupwire.core.ledger;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.fanout.FanoutBatch;
import io.groupwire.core.fanout.FanoutLedger;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.queue.ReliableQueue;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A ledger lives for the TTL while deliveries are open, and only briefly once all are settled. */
class DeliveryLedgerTest {
    @Test
    void aFullySettledLedgerIsKeptOnlyBriefly() {
        Vertx vertx = Vertx.vertx();
        Redis redis = TestRedis.client(vertx);
        try {
            TestRedis.flushAll(redis);
            ReliableQueue mailbox = new ReliableQueue(redis, Keys.mailbox(0), "w", Duration.ofSeconds(10));
            await(mailbox.push("raw-m1"));
            await(mailbox.acquire());
            await(mailbox.claim(1));
            Delivery a = new Delivery("da", "m1", "g", "G", "s", "S", "r1", null, Channel.SMS, "+15550000001", "t", 1, 0);
            Delivery b = new Delivery("db", "m1", "g", "G", "s", "S", "r2", null, Channel.SMS, "+15550000002", "t", 1, 0);
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
        } finally {
            redis.close();
            await(vertx.close());
        }
    }

    @Test
    void aDeliveryFoundMidSendIsAmbiguousAndRemembersIt() {
        Vertx vertx = Vertx.vertx();
        Redis redis = TestRedis.client(vertx);
        try {
            TestRedis.flushAll(redis);
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
        } finally {
            redis.close();
            await(vertx.close());
        }
    }

    private static long ttl(Redis redis, String key) {
        return await(redis.send(Request.cmd(Command.TTL).arg(key))).toLong();
    }
}

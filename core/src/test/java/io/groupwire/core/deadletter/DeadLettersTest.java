package io.groupwire.core.deadletter;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.json.Json;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.testing.RedisTestBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.Test;

class DeadLettersTest extends RedisTestBase {

    @Test
    void listsAndReplaysMailboxDeadLetters() {
        await(redis.send(Request.cmd(Command.LPUSH).arg(Keys.deadLetters(2, null)).arg("{bad-1").arg("{bad-2")));
        DeadLetters dl = new DeadLetters(redis, 4);
        assertEquals(2L, await(dl.count(null)));
        assertEquals("{bad-1", await(dl.list(null, 10)).get(0).entry());
        assertEquals(2L, await(dl.replay(null, 10)));
        assertEquals(0L, await(dl.count(null)));
        // back at the head of the mailbox, oldest first
        assertEquals("{bad-1", await(redis.send(Request.cmd(Command.RPOP).arg(Keys.mailbox(2).queue()))).toString());
    }

    @Test
    void replaysOutboxDeadLettersAsFreshRetries() {
        Delivery d = Delivery.builder().id("d1").messageId("m1").groupId("g").groupName("G").senderId("s").senderName("S")
                .recipientId("r").channel(Channel.SMS).address("+15550001111").text("hi").acceptedAtMillis(1L).attempt(15)
                .build();
        await(redis.send(Request.cmd(Command.HSET).arg(Keys.ledger(1, "m1")).arg("d1").arg("dead_letter")));
        await(redis.send(Request.cmd(Command.LPUSH).arg(Keys.deadLetters(1, Channel.SMS)).arg(Json.write(d))));
        DeadLetters dl = new DeadLetters(redis, 4);
        assertEquals(1L, await(dl.replay(Channel.SMS, 10)));
        assertEquals("retry", await(redis.send(Request.cmd(Command.HGET).arg(Keys.ledger(1, "m1")).arg("d1"))).toString());
        Delivery queued = Json.read(await(redis.send(Request.cmd(Command.RPOP).arg(Keys.outbox(1, Channel.SMS).queue()))).toString(),
                Delivery.class);
        assertEquals(0, queued.attempt());
        assertEquals("d1", queued.id());
        assertEquals(0L, await(dl.count(Channel.SMS)));
    }

    @Test
    void replaysADeadLetterWhoseLedgerHasExpired() {
        Delivery d = Delivery.builder().id("d2").messageId("m2").groupId("g").groupName("G").senderId("s").senderName("S")
                .recipientId("r").channel(Channel.APNS).address("tok").text("hi").acceptedAtMillis(1L).attempt(15).build();
        await(redis.send(Request.cmd(Command.LPUSH).arg(Keys.deadLetters(1, Channel.APNS)).arg(Json.write(d))));
        DeadLetters dl = new DeadLetters(redis, 4);
        assertEquals(1L, await(dl.replay(Channel.APNS, 10)));
        // without a ledger entry the pacer would drop it as gone
        assertEquals("retry", await(redis.send(Request.cmd(Command.HGET).arg(Keys.ledger(1, "m2")).arg("d2"))).toString());
        assertTrue(await(redis.send(Request.cmd(Command.TTL).arg(Keys.ledger(1, "m2")))).toLong() > 3600);
    }

    @Test
    void pagesOverShardsAndReplaysChosenEntries() {
        // shard 0 holds a1 (oldest) and a2, shard 2 holds b1
        await(redis.send(Request.cmd(Command.LPUSH).arg(Keys.deadLetters(0, null)).arg("{a1").arg("{a2")));
        await(redis.send(Request.cmd(Command.LPUSH).arg(Keys.deadLetters(2, null)).arg("{b1")));
        DeadLetters dl = new DeadLetters(redis, 4);
        DeadLetters.Page first = await(dl.page(null, 0, 2));
        assertEquals(3, first.total());
        assertEquals(java.util.List.of("{a1", "{a2"), first.entries().stream().map(DeadLetters.Entry::entry).toList());
        DeadLetters.Page second = await(dl.page(null, 2, 2));
        assertEquals(java.util.List.of("{b1"), second.entries().stream().map(DeadLetters.Entry::entry).toList());
        assertEquals(2, second.entries().get(0).shard());
        DeadLetters.Page middle = await(dl.page(null, 1, 1));
        assertEquals("{a2", middle.entries().get(0).entry());
        assertEquals(1, middle.entries().get(0).index());

        assertEquals(1, await(dl.replay(0, null, java.util.List.of("{a2", "{gone"))));
        assertEquals(java.util.List.of("{a1"), await(dl.list(null, 10)).stream().filter(e -> e.shard() == 0)
                .map(DeadLetters.Entry::entry).toList());
        assertEquals("{a2", await(redis.send(Request.cmd(Command.RPOP).arg(Keys.mailbox(0).queue()))).toString());
    }
}

package io.groupwire.core.ledger;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.groupwire.core.message.Channel;
import io.groupwire.core.queue.LeaseLostException;
import io.groupwire.core.queue.ReliableQueue;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.testing.RedisTestBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code DeliveryLedgerTest} does not reach: the lease check, and retry and dead-letter arguments of one delivery. */
class CompleteScriptTest extends RedisTestBase {
    private final String ledger = Keys.ledger(1, "m1");

    @Test
    void withoutTheLeaseNothingIsRecordedOrAcknowledged() {
        ReliableQueue outbox = claimed("e1");
        CompleteScript other = new CompleteScript(redis, 1, Channel.SMS, "someone-else", 60);
        assertThrows(LeaseLostException.class, () -> await(other.run(List.of(
                Completion.retry("e1", "m1", "d1", 5_000, "e1-again", false)))));
        assertEquals("sending:p:1", hget("d1"));
        assertEquals(1L, await(outbox.inflight()));
        assertEquals(0L, await(redis.send(Request.cmd(Command.EXISTS).arg(Keys.retry(1, Channel.SMS)))).toLong());
    }

    @Test
    void aRetryThatMayHaveBeenSentAndADeadLetterCarryTheirArgumentsInOrder() {
        ReliableQueue outbox = claimed("e1", "e2");
        await(redis.send(Request.cmd(Command.HSET).arg(ledger).arg("d2").arg("sending:p:1").arg("_open").arg(2)));
        CompleteScript complete = new CompleteScript(redis, 1, Channel.SMS, "p", 60);
        assertEquals(2, await(complete.run(List.of(
                Completion.retry("e1", "m1", "d1", 5_000, "e1-again", true),
                Completion.settled("e2", "m1", "d2", DeliveryState.DEAD_LETTER)))));
        assertEquals(0L, await(outbox.inflight()));
        assertEquals("retry", hget("d1"));
        assertEquals("1", hget("amb:d1"));
        assertEquals("dead_letter", hget("d2"));
        assertEquals(5000.0, await(redis.send(Request.cmd(Command.ZSCORE).arg(Keys.retry(1, Channel.SMS)).arg("e1-again")))
                .toDouble());
        assertEquals("e2", await(redis.send(Request.cmd(Command.LINDEX).arg(Keys.deadLetters(1, Channel.SMS)).arg(0)))
                .toString());
        assertEquals("1", hget("_open"));
    }

    /** An SMS outbox of shard 1 whose entries p claimed, each delivery of m1 marked sending. */
    private ReliableQueue claimed(String... entries) {
        ReliableQueue outbox = new ReliableQueue(redis, Keys.outbox(1, Channel.SMS), "p", Duration.ofSeconds(10));
        for (String e : entries) {
            await(outbox.push(e));
        }
        await(outbox.acquire());
        await(outbox.claim(entries.length));
        await(redis.send(Request.cmd(Command.HSET).arg(ledger).arg("d1").arg("sending:p:1").arg("_open").arg(1)));
        return outbox;
    }

    private String hget(String field) {
        return await(redis.send(Request.cmd(Command.HGET).arg(ledger).arg(field))).toString();
    }
}

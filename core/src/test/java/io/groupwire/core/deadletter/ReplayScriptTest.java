package io.groupwire.core.deadletter;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.groupwire.core.message.Channel;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.testing.RedisTestBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code DeadLettersTest} does not reach: the count of the mailbox form, and entries gone meanwhile. */
class ReplayScriptTest extends RedisTestBase {
    private final ReplayScript replay = new ReplayScript(redis);

    @Test
    void theMailboxFormMovesAtMostCountOldestFirst() {
        await(redis.send(Request.cmd(Command.LPUSH).arg(Keys.deadLetters(0, null)).arg("e1").arg("e2").arg("e3")));
        await(redis.send(Request.cmd(Command.LPUSH).arg(Keys.mailbox(0).queue()).arg("waiting")));
        assertEquals(2, await(replay.mailbox(0, 2)));
        // the claiming end is the right one: e1 is claimed first, then e2, then what waited
        assertEquals(List.of("waiting", "e2", "e1"), range(Keys.mailbox(0).queue()));
        assertEquals(List.of("e3"), range(Keys.deadLetters(0, null)));
        assertEquals(1, await(replay.mailbox(0, 2)));
        assertEquals(0, await(replay.mailbox(0, 2)));
    }

    @Test
    void theOutboxFormReplaysOnlyEntriesStillDeadAndReopensTheirLedgers() {
        String dead = Keys.deadLetters(0, Channel.FCM);
        await(redis.send(Request.cmd(Command.LPUSH).arg(dead).arg("stored-1")));
        assertEquals(1, await(replay.outbox(0, Channel.FCM, 10, List.of(
                new ReplayScript.OutboxEntry("stored-1", "m1", "d1", "fresh-1"),
                new ReplayScript.OutboxEntry("stored-2", "m2", "d2", "fresh-2")))));
        assertEquals(List.of("fresh-1"), range(Keys.outbox(0, Channel.FCM).queue()));
        assertEquals(List.of(), range(dead));
        String ledger = Keys.ledger(0, "m1");
        assertEquals("retry", await(redis.send(Request.cmd(Command.HGET).arg(ledger).arg("d1"))).toString());
        assertEquals("1", await(redis.send(Request.cmd(Command.HGET).arg(ledger).arg("_open"))).toString());
        assertEquals(0L, await(redis.send(Request.cmd(Command.EXISTS).arg(Keys.ledger(0, "m2")))).toLong());
        assertEquals(0, await(replay.outbox(0, Channel.FCM, 10, List.of())));
    }

    private List<String> range(String key) {
        List<String> out = new ArrayList<>();
        for (Response e : await(redis.send(Request.cmd(Command.LRANGE).arg(key).arg(0).arg(-1)))) {
            out.add(e.toString());
        }
        return out;
    }
}

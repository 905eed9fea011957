package io.groupwire.core.intake;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.groupwire.core.json.Json;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Message;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.testing.RedisTestBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One call of enqueue.lua with a batch of several groups and senders: each message is answered in its place. */
class EnqueueScriptTest extends RedisTestBase {
    private static final int SHARD = 3;
    private static final long NOW = 1_700_000_000_000L;
    private final GuidBuckets guids = new GuidBuckets(Duration.ofHours(3));

    @BeforeEach
    void groups() {
        for (String g : List.of("ga", "gb")) {
            await(redis.send(Request.cmd(Command.HSET).arg(Keys.group(SHARD, g)).arg("id").arg(g)));
        }
        await(redis.send(Request.cmd(Command.SADD).arg(Keys.groupMembers(SHARD, "ga")).arg("ann").arg("bob")));
        await(redis.send(Request.cmd(Command.SADD).arg(Keys.groupMembers(SHARD, "gb")).arg("bob")));
    }

    private EnqueueScript script(long mailboxHighWater, long outboxHighWater) {
        return new EnqueueScript(redis, guids, new EnqueueScript.Settings(mailboxHighWater, outboxHighWater, 0, 0));
    }

    private static Message message(String id, String group, String sender, String guid) {
        return new Message(id, group, sender, guid, "text of " + id, NOW);
    }

    private static Message message(String id, String group, String sender, String guid, String text) {
        return new Message(id, group, sender, guid, text, NOW);
    }

    private static List<Offer> offers(List<Message> messages) {
        return messages.stream().map(m -> new Offer(m, GuidUse.of(m.groupId(), m.text()))).toList();
    }

    @Test
    void answersEachMessageOfAMixedBatchInItsPlace() {
        await(script(0, 0).run(SHARD, NOW, offers(List.of(message("m0", "gb", "bob", "earlier")))));
        List<Message> batch = List.of(
                message("m1", "ga", "ann", "g1"),
                message("m2", "nope", "ann", "g2"),
                message("m3", "gb", "ann", "g3"),
                message("m4", "gb", "bob", "g4"),
                message("m5", "ga", "bob", "g5"),
                message("m6", "ga", "ann", "g1", "text of m1"),
                message("m7", "ga", "bob", "earlier"),
                message("m8", "ga", "ann", "g1"));
        List<IntakeResult> results = await(script(0, 0).run(SHARD, NOW + 1, offers(batch)));
        assertEquals(List.of(IntakeResult.Status.ACCEPTED, IntakeResult.Status.NO_GROUP, IntakeResult.Status.NOT_MEMBER,
                IntakeResult.Status.ACCEPTED, IntakeResult.Status.ACCEPTED, IntakeResult.Status.DUPLICATE,
                IntakeResult.Status.CONFLICT, IntakeResult.Status.CONFLICT), results.stream().map(IntakeResult::status).toList());
        assertEquals(batch.get(0), results.get(0).message());
        assertNull(results.get(1).message());
        // a duplicate (same sender, guid, group and text) names the first message, also when the first is in the same batch
        assertEquals(new Message("m1", "ga", "ann", "g1", "text of m1", NOW), results.get(5).message());
        // the same sender's guid with another group (m7) or another text (m8) is a conflict, answered with no message
        assertNull(results.get(6).message());
        assertNull(results.get(7).message());
        // accepted messages are pushed in batch order: the first accepted is the first claimed
        List<String> mailbox = new ArrayList<>();
        for (Response r : await(redis.send(Request.cmd(Command.LRANGE).arg(Keys.mailbox(SHARD).queue()).arg(0).arg(-1)))) {
            mailbox.add(Json.read(r.toString(), Message.class).id());
        }
        assertEquals(List.of("m5", "m4", "m1", "m0"), mailbox);
    }

    @Test
    void refusesWhenTheMailboxOrAnOutboxIsFullButStillAnswersRetries() {
        assertEquals(IntakeResult.Status.ACCEPTED,
                await(script(1, 0).run(SHARD, NOW, offers(List.of(message("m1", "ga", "ann", "a"))))).get(0).status());
        List<IntakeResult> full = await(script(1, 0).run(SHARD, NOW, offers(List.of(message("m2", "ga", "ann", "b"),
                message("m3", "ga", "ann", "a", "text of m1")))));
        assertEquals(List.of(IntakeResult.Status.FULL, IntakeResult.Status.DUPLICATE),
                full.stream().map(IntakeResult::status).toList());
        await(redis.send(Request.cmd(Command.LPUSH).arg(Keys.outbox(SHARD, Channel.FCM).queue()).arg("d1")));
        assertEquals(IntakeResult.Status.FULL,
                await(script(0, 1).run(SHARD, NOW, offers(List.of(message("m4", "ga", "ann", "c"))))).get(0).status());
        assertEquals(IntakeResult.Status.ACCEPTED,
                await(script(0, 2).run(SHARD, NOW, offers(List.of(message("m5", "ga", "ann", "c"))))).get(0).status());
    }
}

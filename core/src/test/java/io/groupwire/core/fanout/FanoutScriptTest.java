package io.groupwire.core.fanout;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.groupwire.core.json.Json;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.queue.LeaseLostException;
import io.groupwire.core.queue.ReliableQueue;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.testing.RedisTestBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FanoutScriptTest extends RedisTestBase {
    private static final int SHARD = 5;
    private final ReliableQueue mailbox = new ReliableQueue(redis, Keys.mailbox(SHARD), "t", Duration.ofSeconds(10));

    private static Delivery to(String messageId, Channel channel, String address) {
        return Delivery.builder().messageId(messageId).groupId("g").senderId("s").recipientId("r").channel(channel)
                .address(address).text("hi").build();
    }

    private void claim(String... raws) {
        for (String raw : raws) {
            await(mailbox.push(raw));
        }
        await(mailbox.acquire());
        await(mailbox.claim(raws.length));
    }

    @Test
    void writesEachMessagesDeliveriesToTheirChannelsOnceAndAcknowledgesTheBatch() {
        claim("raw-m1", "raw-m2", "raw-m3");
        Delivery apns = to("m1", Channel.APNS, "tok");
        Delivery sms = to("m1", Channel.SMS, "+15550000001");
        // a second member with the same phone: one text
        Delivery sameSms = to("m1", Channel.SMS, "+15550000001");
        Delivery fcm = to("m3", Channel.FCM, "fcm-tok");
        FanoutScript fanout = new FanoutScript(redis, SHARD, "t", 3600);
        List<FanoutBatch.Item> items = new FanoutBatch()
                .fan("raw-m1", "m1", List.of(apns, sms, sameSms))
                .drop("raw-m2", "m2")
                .fan("raw-m3", "m3", List.of(fcm))
                .items();
        assertEquals(List.of(2, 0, 1), await(fanout.run(items)));
        assertEquals(0L, await(mailbox.inflight()));
        assertEquals(List.of(apns.id()), ids(Channel.APNS));
        assertEquals(List.of(fcm.id()), ids(Channel.FCM));
        assertEquals(List.of(sms.id()), ids(Channel.SMS));
        assertEquals("queued", hget(Keys.ledger(SHARD, "m1"), sms.id()));
        assertEquals("2", hget(Keys.ledger(SHARD, "m1"), "_open"));
        // an expired message leaves a mark, so that an operator learns it was dropped on purpose
        assertEquals("1", hget(Keys.ledger(SHARD, "m2"), "_expired"));

        // claimed again after a crash: the ledger admits the new delivery only
        claim("raw-m1");
        Delivery late = to("m1", Channel.FCM, "late-tok");
        assertEquals(List.of(1), await(fanout.run(new FanoutBatch().fan("raw-m1", "m1", List.of(apns, sms, late)).items())));
        assertEquals(List.of(late.id(), fcm.id()), ids(Channel.FCM));
        assertEquals(List.of(apns.id()), ids(Channel.APNS));
        assertEquals("3", hget(Keys.ledger(SHARD, "m1"), "_open"));
        assertEquals(0L, await(mailbox.inflight()));
    }

    @Test
    void poisonGoesToTheDeadLettersAndClaimsOutOfOrderAreRemovedOneByOne() {
        claim("raw-a", "raw-b", "raw-c");
        FanoutScript fanout = new FanoutScript(redis, SHARD, "t", 3600);
        assertEquals(List.of(0, 0), await(fanout.run(new FanoutBatch().dead("raw-c").drop("raw-a", "ma").items())));
        assertEquals(List.of("raw-b"), range(Keys.mailbox(SHARD).inflight()));
        assertEquals(List.of("raw-c"), range(Keys.deadLetters(SHARD, null)));
    }

    @Test
    void withoutTheLeaseNothingIsWritten() {
        claim("raw-m1");
        FanoutScript other = new FanoutScript(redis, SHARD, "someone-else", 3600);
        assertThrows(LeaseLostException.class, () -> await(other.run(new FanoutBatch()
                .fan("raw-m1", "m1", List.of(to("m1", Channel.SMS, "+15550000001"))).items())));
        assertEquals(1L, await(mailbox.inflight()));
        assertEquals(0L, await(redis.send(Request.cmd(Command.EXISTS).arg(Keys.ledger(SHARD, "m1")))).toLong());
    }

    /** The delivery ids waiting in a channel's outbox, newest first. */
    private List<String> ids(Channel channel) {
        List<String> out = new ArrayList<>();
        for (String json : range(Keys.outbox(SHARD, channel).queue())) {
            out.add(Json.read(json, Delivery.class).id());
        }
        return out;
    }

    private List<String> range(String key) {
        List<String> out = new ArrayList<>();
        for (Response e : await(redis.send(Request.cmd(Command.LRANGE).arg(key).arg(0).arg(-1)))) {
            out.add(e.toString());
        }
        return out;
    }

    private String hget(String key, String field) {
        return await(redis.send(Request.cmd(Command.HGET).arg(key).arg(field))).toString();
    }
}

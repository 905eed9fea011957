package io.groupwire.transport;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.fanout.FanoutBatch;
import io.groupwire.core.fanout.FanoutLedger;
import io.groupwire.core.intake.IntakeResult;
import io.groupwire.core.intake.MessageIntake;
import io.groupwire.core.json.Json;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.message.Message;
import io.groupwire.core.metrics.MetricNames;
import io.groupwire.core.queue.ReliableQueue;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.Shards;
import io.groupwire.core.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransportServiceTest {
    static final int SHARDS = 4;
    Vertx vertx;
    Redis redis;
    Shards shards = new Shards(SHARDS);
    DirectoryFixture dir;
    MessageIntake intake;
    TransportService transport;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        redis = TestRedis.client(vertx);
        TestRedis.flushAll(redis);
        dir = new DirectoryFixture(redis, shards);
        intake = MessageIntake.builder(redis, shards).guidTtl(Duration.ofHours(3)).build();
        dir.user("alice", "Alice", "+15550000001");
        dir.user("bob", "Bob", null);
        dir.user("carol", "Carol", "+15550000003");
        dir.user("dave", "Dave", null);
        dir.device("bob", "d1", Channel.APNS, "aa11");
        dir.device("bob", "d2", Channel.FCM, "ff22");
        dir.group("g1", "Climbing", "alice", "bob", "carol", "dave");
    }

    @AfterEach
    void tearDown() {
        if (transport != null) {
            await(transport.stop());
        }
        redis.close();
        await(vertx.close());
    }

    private TransportConfig config(Duration ttl, Duration lease) {
        return TransportConfig.builder()
                .redis(TestRedis.settings(SHARDS))
                .host("127.0.0.1")
                .port(0)
                .messageTtl(ttl)
                .batchSize(50)
                .lease(lease)
                .idlePoll(Duration.ofMillis(5))
                .workerId("t-" + System.nanoTime())
                .build();
    }

    private void startTransport(Duration ttl, Duration lease) {
        transport = await(TransportService.start(vertx, config(ttl, lease)));
    }

    private List<Delivery> outbox(String groupId, Channel c) {
        Response r = await(redis.send(Request.cmd(Command.LRANGE).arg(Keys.outbox(shards.of(groupId), c).queue()).arg(0).arg(-1)));
        List<Delivery> out = new ArrayList<>();
        for (Response e : r) {
            out.add(0, Json.read(e.toString(), Delivery.class)); // LPUSHed: reverse for send order
        }
        return out;
    }

    private long llen(String key) {
        return await(redis.send(Request.cmd(Command.LLEN).arg(key))).toLong();
    }

    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met in 15 s");
            }
            Thread.sleep(20);
        }
    }

    private Message send(String sender, String guid, String text) {
        IntakeResult r = await(intake.accept("g1", sender, guid, text));
        assertEquals(IntakeResult.Status.ACCEPTED, r.status());
        return r.message();
    }

    private double counter(String name) {
        return transport.registry().find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void fansOutToEveryMemberButTheSenderOncePerDeviceOrBySms() throws Exception {
        startTransport(Duration.ofHours(2), Duration.ofSeconds(5));
        Message m = send("alice", "x1", "hello");
        eventually(() -> outbox("g1", Channel.APNS).size() + outbox("g1", Channel.FCM).size() + outbox("g1", Channel.SMS).size() == 3);
        Delivery apns = outbox("g1", Channel.APNS).get(0);
        Delivery fcm = outbox("g1", Channel.FCM).get(0);
        Delivery sms = outbox("g1", Channel.SMS).get(0);
        assertEquals("aa11", apns.address());
        assertEquals("bob", apns.recipientId());
        assertEquals("ff22", fcm.address());
        assertEquals("+15550000003", sms.address());
        assertEquals("carol", sms.recipientId());
        assertEquals("Alice: hello", sms.displayText());
        assertEquals(m.id(), sms.messageId());
        assertEquals("Climbing", sms.groupName());
        eventually(() -> llen(Keys.mailbox(shards.of("g1")).inflight()) == 0);
    }

    @Test
    void keepsFifoOrderWithinAGroup() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            ids.add(send("alice", "g" + i, "m" + i).id());
        }
        startTransport(Duration.ofHours(2), Duration.ofSeconds(5));
        eventually(() -> outbox("g1", Channel.SMS).size() == 300);
        assertEquals(ids, outbox("g1", Channel.SMS).stream().map(Delivery::messageId).toList());
        assertEquals(ids, outbox("g1", Channel.APNS).stream().map(Delivery::messageId).toList());
    }

    @Test
    void aWorkerKilledBetweenClaimAndAckLosesNothingAndDuplicatesNothing() throws Exception {
        for (int i = 0; i < 20; i++) {
            send("alice", "k" + i, "m" + i);
        }
        int shard = shards.of("g1");
        // a worker claims ten messages and dies before fanning them out
        ReliableQueue crashed = new ReliableQueue(redis, Keys.mailbox(shard), "crashed", Duration.ofMillis(300));
        assertTrue(await(crashed.acquire()).held());
        assertEquals(10, await(crashed.claim(10)).size());
        // and another fanned one message out and died before the next batch: its claim was acked
        startTransport(Duration.ofHours(2), Duration.ofMillis(600));
        eventually(() -> outbox("g1", Channel.SMS).size() == 20);
        Thread.sleep(300);
        List<Delivery> sms = outbox("g1", Channel.SMS);
        assertEquals(20, sms.stream().map(Delivery::messageId).distinct().count());
        assertEquals(20, outbox("g1", Channel.APNS).size());
        assertEquals(0, llen(Keys.mailbox(shard).inflight()));
    }

    @Test
    void aMessageClaimedAgainAfterFanOutYieldsNoSecondDelivery() throws Exception {
        Message m = send("alice", "dup", "once");
        startTransport(Duration.ofHours(2), Duration.ofSeconds(5));
        eventually(() -> outbox("g1", Channel.SMS).size() == 1);
        // the same mailbox entry comes back, as after a crash between fan-out and a lost ack reply
        await(redis.send(Request.cmd(Command.LPUSH).arg(Keys.mailbox(shards.of("g1")).queue()).arg(Json.write(m))));
        eventually(() -> counter(MetricNames.DUPLICATES_SUPPRESSED) == 3);
        assertEquals(1, outbox("g1", Channel.SMS).size());
        assertEquals(1, outbox("g1", Channel.APNS).size());
        assertEquals(1, outbox("g1", Channel.FCM).size());
    }

    @Test
    void dropsAndCountsMessagesOlderThanTheTtl() throws Exception {
        Message old = new Message("old1", "g1", "alice", "o", "stale", System.currentTimeMillis() - Duration.ofHours(3).toMillis());
        await(redis.send(Request.cmd(Command.LPUSH).arg(Keys.mailbox(shards.of("g1")).queue()).arg(Json.write(old))));
        send("alice", "fresh", "fresh");
        startTransport(Duration.ofHours(2), Duration.ofSeconds(5));
        eventually(() -> counter(MetricNames.MESSAGES_EXPIRED) == 1 && outbox("g1", Channel.SMS).size() == 1);
        assertEquals("fresh", outbox("g1", Channel.SMS).get(0).text());
        assertEquals(0, llen(Keys.mailbox(shards.of("g1")).queue()));
        // the drop leaves a trace, so that "where did my message go?" has an answer
        String ledger = Keys.ledger(shards.of("g1"), "old1");
        assertEquals("1", await(redis.send(Request.cmd(Command.HGET).arg(ledger).arg("_expired"))).toString());
        assertTrue(await(redis.send(Request.cmd(Command.TTL).arg(ledger))).toLong() > 0);
    }

    @Test
    void aShardWhoseLeaseLapsedIsConsumedAgain() throws Exception {
        startTransport(Duration.ofHours(2), Duration.ofSeconds(1));
        int shard = shards.of("g1");
        eventually(() -> transport.ownedShards() == SHARDS);
        // as after a Redis outage longer than the lease: the lease is gone when the loop next claims
        await(redis.send(Request.cmd(Command.DEL).arg(Keys.mailbox(shard).lease())));
        Thread.sleep(1_500);
        send("alice", "after-lapse", "still delivered");
        eventually(() -> outbox("g1", Channel.SMS).size() == 1);
    }

    @Test
    void movesUnreadableMessagesToTheDeadLetterList() throws Exception {
        await(redis.send(Request.cmd(Command.LPUSH).arg(Keys.mailbox(shards.of("g1")).queue()).arg("{not json")));
        send("alice", "after", "after poison");
        startTransport(Duration.ofHours(2), Duration.ofSeconds(5));
        eventually(() -> outbox("g1", Channel.SMS).size() == 1);
        assertEquals(1, llen(Keys.deadLetters(shards.of("g1"), null)));
    }

    @Test
    void theLedgerRefusesASecondWriteOfTheSameDelivery() {
        int shard = shards.of("g1");
        ReliableQueue q = new ReliableQueue(redis, Keys.mailbox(shard), "w", Duration.ofSeconds(5));
        Message m = send("alice", "l", "ledger");
        assertTrue(await(q.acquire()).held());
        String raw = await(q.claim(1)).get(0);
        Delivery d = Delivery.builder().messageId(m.id()).groupId("g1").groupName("Climbing").senderId("alice")
                .senderName("Alice").recipientId("carol").channel(Channel.SMS).address("+15550000003").text("ledger")
                .acceptedAtMillis(m.acceptedAtMillis()).build();
        FanoutLedger ledger = new FanoutLedger(redis, shard, "w", Duration.ofHours(3));
        assertEquals(List.of(1), await(ledger.apply(new FanoutBatch().fan(raw, m.id(), List.of(d)))));
        assertEquals(List.of(0), await(ledger.apply(new FanoutBatch().fan(raw, m.id(), List.of(d)))));
        assertEquals(1, llen(Keys.outbox(shard, Channel.SMS).queue()));
    }

    private Delivery sms(Message m, String phone) {
        return Delivery.builder().messageId(m.id()).groupId("g1").groupName("Climbing").senderId("alice").senderName("Alice")
                .recipientId("carol").channel(Channel.SMS).address(phone).text(m.text()).acceptedAtMillis(m.acceptedAtMillis())
                .build();
    }

    private String hget(String key, String field) {
        Response r = await(redis.send(Request.cmd(Command.HGET).arg(key).arg(field)));
        return r == null ? null : r.toString();
    }

    @Test
    void aMessageFannedOutAgainGetsOnlyTheDeliveriesItsLedgerLacks() {
        int shard = shards.of("g1");
        ReliableQueue q = new ReliableQueue(redis, Keys.mailbox(shard), "w", Duration.ofSeconds(5));
        Message m = send("alice", "partial", "partial");
        assertTrue(await(q.acquire()).held());
        String raw = await(q.claim(1)).get(0);
        FanoutLedger ledger = new FanoutLedger(redis, shard, "w", Duration.ofHours(3));
        Delivery first = sms(m, "+15550000003");
        Delivery second = sms(m, "+15550000004");
        assertEquals(List.of(1), await(ledger.apply(new FanoutBatch().fan(raw, m.id(), List.of(first)))));
        // as when a member joined between a crashed fan-out and its repeat
        assertEquals(List.of(1), await(ledger.apply(new FanoutBatch().fan(raw, m.id(), List.of(first, second)))));
        List<String> phones = outbox("g1", Channel.SMS).stream().map(Delivery::address).toList();
        assertEquals(List.of("+15550000003", "+15550000004"), phones);
        assertEquals("2", hget(Keys.ledger(shard, m.id()), "_open"));
    }

    @Test
    void twoDeliveriesWithOneIdInAFirstFanOutAreWrittenOnce() {
        int shard = shards.of("g1");
        ReliableQueue q = new ReliableQueue(redis, Keys.mailbox(shard), "w", Duration.ofSeconds(5));
        Message m = send("alice", "shared-phone", "one text");
        assertTrue(await(q.acquire()).held());
        String raw = await(q.claim(1)).get(0);
        FanoutLedger ledger = new FanoutLedger(redis, shard, "w", Duration.ofHours(3));
        Delivery d = sms(m, "+15550000003");
        assertEquals(List.of(1), await(ledger.apply(new FanoutBatch().fan(raw, m.id(), List.of(d, d)))));
        assertEquals(1, outbox("g1", Channel.SMS).size());
        assertEquals("1", hget(Keys.ledger(shard, m.id()), "_open"));
        assertEquals("queued", hget(Keys.ledger(shard, m.id()), d.id()));
    }

    @Test
    void claimsAreAcknowledgedWhetherOrNotTheBatchIsTheHeadOfTheInFlightList() {
        int shard = shards.of("g1");
        ReliableQueue q = new ReliableQueue(redis, Keys.mailbox(shard), "w", Duration.ofSeconds(5));
        Message a = send("alice", "a", "first");
        Message b = send("alice", "b", "second");
        Message c = send("alice", "c", "third");
        assertTrue(await(q.acquire()).held());
        List<String> raws = await(q.claim(3));
        FanoutLedger ledger = new FanoutLedger(redis, shard, "w", Duration.ofHours(3));
        String inflight = Keys.mailbox(shard).inflight();
        // not the head: removed entry by entry, the others stay claimed
        await(ledger.apply(new FanoutBatch().fan(raws.get(1), b.id(), List.of(sms(b, "+15550000003")))));
        assertEquals(List.of(raws.get(0), raws.get(2)), range(inflight));
        // the head run
        await(ledger.apply(new FanoutBatch().fan(raws.get(0), a.id(), List.of(sms(a, "+15550000003")))
                .fan(raws.get(2), c.id(), List.of(sms(c, "+15550000003")))));
        assertEquals(0, llen(inflight));
        assertEquals(3, outbox("g1", Channel.SMS).size());
    }

    private List<String> range(String key) {
        List<String> out = new ArrayList<>();
        for (Response e : await(redis.send(Request.cmd(Command.LRANGE).arg(key).arg(0).arg(-1)))) {
            out.add(e.toString());
        }
        return out;
    }
}

package io.groupwire.pacer;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.config.OwnContext;
import io.groupwire.core.json.Json;
import io.groupwire.core.ledger.DeliveryLedger;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.queue.LeaseLostException;
import io.groupwire.core.queue.ReliableQueue;
import io.groupwire.core.queue.Round;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.testing.RedisTestBase;
import io.groupwire.core.testing.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One outbox loop's rounds against Redis: what each round sends and records, and when it says to come back. */
class OutboxLoopTest extends RedisTestBase {
    private static final int SHARD = 0;
    private static final Channel CHANNEL = Channel.SMS;
    private static final String WORKER = "p-test";

    private RedisBuckets buckets;
    private OwnContext context;
    private ScriptedProvider provider;
    private ProviderPause pause;
    private ReliableQueue outbox;

    @BeforeEach
    void setUp() {
        buckets = new RedisBuckets(TestRedis.settings(4));
        context = await(OwnContext.create(vertx));
        provider = ScriptedProvider.accepting(CHANNEL);
        pause = new ProviderPause(redis, CHANNEL);
        outbox = new ReliableQueue(redis, Keys.outbox(SHARD, CHANNEL), WORKER, Duration.ofSeconds(10));
    }

    @AfterEach
    void tearDown() {
        buckets.close();
    }

    private OutboxLoop loop(ChannelLimit limit) {
        PacerConfig config = PacerConfig.builder()
                .redis(TestRedis.settings(4))
                .channels(java.util.EnumSet.of(CHANNEL))
                .limit(CHANNEL, limit)
                .batchSize(10)
                .workerId(WORKER)
                .build();
        ChannelPacing pacing = ChannelPacing.builder(CHANNEL)
                .provider(provider)
                .tokens(new TokenGate(buckets.bucket(CHANNEL, limit), context.context()))
                .permits(new ChannelPermits(limit.maxInflight()))
                .pause(pause)
                .retries(new RetryPolicy(config.retryBase(), config.retryMax(), config.maxAttempts()))
                .remover((d, at) -> Future.succeededFuture(true))
                .metrics(new PacerMetrics(new SimpleMeterRegistry(), CHANNEL))
                .build();
        return new OutboxLoop(vertx, outbox, new DeliveryLedger(redis, SHARD, CHANNEL, WORKER), pacing, config);
    }

    private Round round(OutboxLoop loop) {
        return await(context.run(v -> loop.round()));
    }

    /** A delivery in the outbox with its 'queued' ledger entry, as the transport writes it. */
    private Delivery enqueue(String messageId, long acceptedAtMillis) {
        String address = "+1555000" + messageId.hashCode() % 10_000;
        Delivery d = Delivery.builder().messageId(messageId).groupId("g1").groupName("G").senderId("s")
                .senderName("S").recipientId("r").channel(CHANNEL).address(address).text("hi")
                .acceptedAtMillis(acceptedAtMillis).build();
        await(redis.send(Request.cmd(Command.HSET).arg(Keys.ledger(SHARD, messageId)).arg(d.id()).arg("queued")));
        await(redis.send(Request.cmd(Command.LPUSH).arg(outbox.keys().queue()).arg(Json.write(d))));
        return d;
    }

    private String ledgerState(Delivery d) {
        Response r = await(redis.send(Request.cmd(Command.HGET).arg(Keys.ledger(SHARD, d.messageId())).arg(d.id())));
        return r == null ? null : r.toString();
    }

    @Test
    void anEmptyOutboxMakesAnIdleRound() {
        await(outbox.acquire());
        assertInstanceOf(Round.Idle.class, round(loop(new ChannelLimit(100, 100, 10))));
    }

    @Test
    void aRoundSendsItsBatchAndRecordsEachOutcome() {
        await(outbox.acquire());
        Delivery a = enqueue("m1", System.currentTimeMillis());
        Delivery b = enqueue("m2", System.currentTimeMillis());
        Delivery c = enqueue("m3", System.currentTimeMillis());
        assertEquals(new Round.Continue(3), round(loop(new ChannelLimit(100, 100, 10))));
        assertEquals(3, provider.calls.size());
        assertEquals("sent", ledgerState(a));
        assertEquals("sent", ledgerState(b));
        assertEquals("sent", ledgerState(c));
        assertEquals(0L, await(outbox.inflight()));
        assertEquals(0L, await(outbox.depth()));
    }

    @Test
    void aPausedProviderMakesTheRoundWaitAndSendNothing() {
        await(outbox.acquire());
        enqueue("m1", System.currentTimeMillis());
        pause.pause(5_000);
        Round round = round(loop(new ChannelLimit(100, 100, 10)));
        Round.WaitFor wait = assertInstanceOf(Round.WaitFor.class, round);
        // at most a second, so that a pause lifted or shortened by another instance is seen soon
        assertTrue(wait.delay().toMillis() > 900 && wait.delay().toMillis() <= 1_000, "waits " + wait.delay());
        assertEquals(0, provider.calls.size());
        assertEquals(1L, await(outbox.depth()));
    }

    @Test
    void withoutTokensTheRoundWaitsAboutOneTokensTime() {
        await(outbox.acquire());
        enqueue("m1", System.currentTimeMillis());
        enqueue("m2", System.currentTimeMillis());
        // four a second, a burst of one
        OutboxLoop loop = loop(new ChannelLimit(4, 1, 10));
        assertEquals(new Round.Continue(1), round(loop));
        assertEquals(new Round.WaitFor(Duration.ofMillis(250)), round(loop));
        assertEquals(1, provider.calls.size());
        assertEquals(1L, await(outbox.depth()));
    }

    @Test
    void aDeliveryPastItsTtlIsRecordedExpiredAndNotSent() {
        await(outbox.acquire());
        Delivery old = enqueue("m1", System.currentTimeMillis() - Duration.ofHours(3).toMillis());
        assertEquals(new Round.Continue(1), round(loop(new ChannelLimit(100, 100, 10))));
        assertEquals("expired", ledgerState(old));
        assertEquals(0, provider.calls.size());
    }

    @Test
    void aRoundWithoutTheLeaseFailsAndSendsNothing() {
        enqueue("m1", System.currentTimeMillis());
        OutboxLoop loop = loop(new ChannelLimit(100, 100, 10));
        assertThrows(LeaseLostException.class, () -> round(loop));
        assertEquals(0, provider.calls.size());
    }
}

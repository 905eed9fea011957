package io.groupwire.pacer;

import static io.groupwire.core.testing.Eventually.eventually;
import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.config.OwnContext;
import io.groupwire.core.delivery.Outcome;
import io.groupwire.core.delivery.ProviderClient;
import io.groupwire.core.json.Json;
import io.groupwire.core.ledger.DeliveryLedger;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
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
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A batch recorded delivery by delivery, with a provider that answers when the test says: each
 * outcome is in the ledger as soon as it is known, claims are acknowledged in claim order, an SMS
 * is marked only just before its own send, and the in-flight gauge counts what a crash would leave.
 */
class OutboxBatchTest extends RedisTestBase {
    private static final int SHARD = 1;
    private static final String WORKER = "p-batch";

    private final OwnContext context = await(OwnContext.create(vertx));
    private final HeldProvider provider = new HeldProvider();
    private RedisBuckets buckets;
    private PacerMetrics metrics;
    private ReliableQueue outbox;

    /** A provider whose answers the test gives, one request at a time. */
    private static final class HeldProvider implements ProviderClient {
        final List<Delivery> requests = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Outcome>> answers = new CopyOnWriteArrayList<>();
        Channel channel = Channel.SMS;

        @Override
        public Channel channel() {
            return channel;
        }

        @Override
        public CompletableFuture<Outcome> send(Delivery delivery) {
            CompletableFuture<Outcome> answer = new CompletableFuture<>();
            requests.add(delivery);
            answers.add(answer);
            return answer;
        }

        void accept(int request) {
            answers.get(request).complete(new Outcome.Delivered("ok"));
        }

        @Override
        public void close() {
        }
    }

    @AfterEach
    void tearDown() {
        provider.answers.forEach(a -> a.complete(new Outcome.Delivered("ok")));
        if (buckets != null) {
            buckets.close();
        }
    }

    private Future<Round> startRound(Channel channel) {
        provider.channel = channel;
        outbox = new ReliableQueue(redis, Keys.outbox(SHARD, channel), WORKER, Duration.ofSeconds(10));
        await(outbox.acquire());
        ChannelLimit limit = new ChannelLimit(1000, 1000, 100);
        PacerConfig config = PacerConfig.builder().redis(TestRedis.settings(4)).channels(EnumSet.of(channel))
                .limit(channel, limit).batchSize(10).workerId(WORKER).build();
        buckets = new RedisBuckets(TestRedis.settings(4));
        metrics = new PacerMetrics(new SimpleMeterRegistry(), channel);
        ChannelPacing pacing = ChannelPacing.builder(channel)
                .provider(provider)
                .tokens(new TokenGate(buckets.bucket(channel, limit), context.context()))
                .permits(new ChannelPermits(limit.maxInflight()))
                .pause(new ProviderPause(redis, channel))
                .retries(new RetryPolicy(config.retryBase(), config.retryMax(), config.maxAttempts()))
                .remover((d, at) -> Future.succeededFuture(true))
                .metrics(metrics)
                .build();
        OutboxLoop loop = new OutboxLoop(vertx, outbox, new DeliveryLedger(redis, SHARD, channel, WORKER), pacing, config);
        return context.run(v -> loop.round());
    }

    private Delivery enqueue(Channel channel, String messageId, String address) {
        Delivery d = Delivery.builder().messageId(messageId).groupId("g1").groupName("G").senderId("s")
                .senderName("S").recipientId("r-" + address).channel(channel).address(address).text("hi")
                .acceptedAtMillis(System.currentTimeMillis()).build();
        await(redis.send(Request.cmd(Command.HSET).arg(Keys.ledger(SHARD, messageId)).arg(d.id()).arg("queued")));
        await(redis.send(Request.cmd(Command.LPUSH).arg(Keys.outbox(SHARD, channel).queue()).arg(Json.write(d))));
        return d;
    }

    private String state(Delivery d) {
        Response r = await(redis.send(Request.cmd(Command.HGET).arg(Keys.ledger(SHARD, d.messageId())).arg(d.id())));
        return r == null ? null : r.toString();
    }

    @Test
    void eachOutcomeIsRecordedAsItArrivesAndClaimsAreAcknowledgedInClaimOrder() throws Exception {
        Delivery a = enqueue(Channel.SMS, "m1", "+15550000001");
        Delivery b = enqueue(Channel.SMS, "m2", "+15550000002");
        Delivery c = enqueue(Channel.SMS, "m3", "+15550000003");
        Future<Round> round = startRound(Channel.SMS);
        eventually(() -> provider.requests.size() == 3);
        assertEquals(3, metrics.sendsInFlight.get());

        provider.accept(1);
        eventually(() -> "sent".equals(state(b)));
        assertTrue(state(a).startsWith("sending:"), state(a));
        assertTrue(state(c).startsWith("sending:"), state(c));
        assertEquals(2, metrics.sendsInFlight.get(), "a crash now leaves only the two unanswered ambiguous");
        // b is recorded, but a, claimed before it, is not: nothing is acknowledged yet
        assertEquals(3L, await(outbox.inflight()));

        provider.accept(0);
        eventually(() -> "sent".equals(state(a)));
        eventually(() -> await(outbox.inflight()) == 1L);
        assertEquals(1, metrics.sendsInFlight.get());

        provider.accept(2);
        assertEquals(new Round.Continue(3), await(round));
        assertEquals("sent", state(c));
        assertEquals(0L, await(outbox.inflight()));
        assertEquals(0, metrics.sendsInFlight.get());
    }

    @Test
    void anSmsIsMarkedOnlyOnceThePreviousOneToItsNumberWasAnswered() throws Exception {
        Delivery first = enqueue(Channel.SMS, "m1", "+15550000009");
        Delivery second = enqueue(Channel.SMS, "m2", "+15550000009");
        Future<Round> round = startRound(Channel.SMS);
        eventually(() -> provider.requests.size() == 1);
        assertTrue(state(first).startsWith("sending:"), state(first));
        assertEquals("queued", state(second), "marked while it was not being sent");
        assertEquals(1, metrics.sendsInFlight.get());

        provider.accept(0);
        eventually(() -> provider.requests.size() == 2);
        assertEquals(second.id(), provider.requests.get(1).id());
        assertEquals("sent", state(first));
        assertTrue(state(second).startsWith("sending:"), state(second));

        provider.accept(1);
        assertEquals(new Round.Continue(2), await(round));
        assertEquals("sent", state(second));
    }

    @Test
    void aPushBatchIsMarkedInOneCallAndStillSentToOneDeviceInOrder() throws Exception {
        String token = "ab".repeat(32);
        Delivery first = enqueue(Channel.APNS, "m1", token);
        Delivery second = enqueue(Channel.APNS, "m2", token);
        Future<Round> round = startRound(Channel.APNS);
        eventually(() -> provider.requests.size() == 1);
        // marked ahead: a crash now leaves both ambiguous, and both are counted in flight
        assertTrue(state(second).startsWith("sending:"), state(second));
        assertEquals(2, metrics.sendsInFlight.get());
        Thread.sleep(100);
        assertEquals(1, provider.requests.size(), "the second was sent before the first was answered");

        provider.accept(0);
        eventually(() -> provider.requests.size() == 2);
        assertEquals(second.id(), provider.requests.get(1).id());
        provider.accept(1);
        assertEquals(new Round.Continue(2), await(round));
        assertEquals("sent", state(first));
        assertEquals("sent", state(second));
    }
}

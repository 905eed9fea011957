package io.groupwire.pacer;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.delivery.Outcome;
import io.groupwire.core.delivery.ProviderClient;
import io.groupwire.core.json.Json;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.metrics.MetricNames;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.Shards;
import io.groupwire.core.testing.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PacerServiceTest {
    static final int SHARDS = 4;
    Vertx vertx;
    Redis redis;
    final Shards shards = new Shards(SHARDS);
    final List<PacerService> pacers = new ArrayList<>();
    final List<Delivery> removed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        redis = TestRedis.client(vertx);
        TestRedis.flushAll(redis);
    }

    @AfterEach
    void tearDown() {
        for (PacerService p : pacers) {
            await(p.stop());
        }
        redis.close();
        await(vertx.close());
    }

    private PacerConfig config(long rate, long burst, Duration ttl) {
        return config(rate, burst, ttl, EnumSet.allOf(Channel.class));
    }

    private PacerConfig config(long rate, long burst, Duration ttl, EnumSet<Channel> channels) {
        return PacerConfig.builder()
                .redis(TestRedis.settings(SHARDS))
                .host("127.0.0.1")
                .port(0)
                .channels(channels)
                .limitEveryChannel(new ChannelLimit(rate, burst, 500))
                .messageTtl(ttl)
                .batchSize(100)
                .retryBase(Duration.ofMillis(50))
                .retryMax(Duration.ofSeconds(2))
                .maxAttempts(5)
                .lease(Duration.ofSeconds(3))
                .idlePoll(Duration.ofMillis(5))
                .workerId("p-" + System.nanoTime())
                .settledLedgerTtl(Duration.ofSeconds(60))
                .waitReplicas(0)
                .waitTimeout(Duration.ofMillis(200))
                .build();
    }

    private PacerService start(PacerConfig config, ProviderClient... clients) {
        Map<Channel, ProviderClient> providers = new EnumMap<>(Channel.class);
        for (Channel c : Channel.values()) {
            providers.put(c, ScriptedProvider.accepting(c));
        }
        for (ProviderClient p : clients) {
            providers.put(p.channel(), p);
        }
        PacerService p = await(PacerService.start(vertx, config, providers, (d, at) -> {
            removed.add(d);
            return Future.succeededFuture(true);
        }));
        pacers.add(p);
        return p;
    }

    /** Writes a delivery into its outbox with a 'queued' ledger entry, as the transport does. */
    private Delivery enqueue(String messageId, Channel channel, String address, long acceptedAt, String ledgerState) {
        String group = "g-" + messageId;
        int shard = shards.of(group);
        Delivery d = Delivery.builder().messageId(messageId).groupId(group).groupName("G").senderId("s").senderName("S")
                .recipientId("r").channel(channel).address(address).text("hi").acceptedAtMillis(acceptedAt).build();
        await(redis.send(Request.cmd(Command.HSET).arg(Keys.ledger(shard, messageId)).arg(d.id()).arg(ledgerState)));
        await(redis.send(Request.cmd(Command.EXPIRE).arg(Keys.ledger(shard, messageId)).arg(36000)));
        await(redis.send(Request.cmd(Command.LPUSH).arg(Keys.outbox(shard, channel).queue()).arg(Json.write(d))));
        return d;
    }

    private Delivery enqueue(String messageId, Channel channel, String address) {
        return enqueue(messageId, channel, address, System.currentTimeMillis(), "queued");
    }

    private String ledgerField(Delivery d, String field) {
        var r = await(redis.send(Request.cmd(Command.HGET).arg(Keys.ledger(shards.of(d.groupId()), d.messageId())).arg(field)));
        return r == null ? null : r.toString();
    }

    private String ledgerState(Delivery d) {
        var r = await(redis.send(Request.cmd(Command.HGET).arg(Keys.ledger(shards.of(d.groupId()), d.messageId())).arg(d.id())));
        return r == null ? null : r.toString();
    }

    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met in 20 s");
            }
            Thread.sleep(20);
        }
    }

    private static double count(PacerService p, String name) {
        return p.registry().find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void twoPacersTogetherNeverExceedTheConfiguredRate() throws Exception {
        long rate = 200;
        long burst = 20;
        int total = 600;
        ScriptedProvider a = ScriptedProvider.accepting(Channel.APNS);
        ScriptedProvider b = ScriptedProvider.accepting(Channel.APNS);
        PacerService first = start(config(rate, burst, Duration.ofHours(2), EnumSet.of(Channel.APNS)), a);
        PacerService second = start(config(rate, burst, Duration.ofHours(2), EnumSet.of(Channel.APNS)), b);
        // the instances share the four APNs outboxes between them
        eventually(() -> first.ownedQueues() == 2 && second.ownedQueues() == 2);
        for (int i = 0; i < total; i++) {
            enqueue("m" + i, Channel.APNS, "tok" + i);
        }
        eventually(() -> a.calls.size() + b.calls.size() >= total);
        List<Long> times = new ArrayList<>();
        a.calls.forEach(c -> times.add(c.atNanos()));
        b.calls.forEach(c -> times.add(c.atNanos()));
        times.sort(Long::compare);
        assertEquals(total, times.size());
        assertTrue(a.calls.size() > 0 && b.calls.size() > 0, "both instances sent: " + a.calls.size() + "/" + b.calls.size());
        // the measured window: in any 1 s, at most the burst plus one second of refill (10% slack for scheduling)
        long window = Duration.ofSeconds(1).toNanos();
        int worst = 0;
        for (int i = 0, j = 0; i < times.size(); i++) {
            while (times.get(i) - times.get(j) > window) {
                j++;
            }
            worst = Math.max(worst, i - j + 1);
        }
        assertTrue(worst <= (burst + rate) * 1.1, "worst 1 s window held " + worst + " sends");
        double seconds = (times.get(times.size() - 1) - times.get(0)) / 1e9;
        double achieved = (total - burst) / seconds;
        assertTrue(achieved <= rate * 1.1, "sustained " + achieved + "/s");
        assertTrue(achieved >= rate * 0.7, "the pacer should keep up with its rate, sustained " + achieved + "/s");
    }

    @Test
    void honoursAProvidersRetryAfterAndDeliversOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ScriptedProvider fcm = new ScriptedProvider(Channel.FCM, d -> calls.incrementAndGet() == 1
                ? Outcome.RetryLater.provider(Duration.ofMillis(800), "QUOTA_EXCEEDED")
                : new Outcome.Delivered("ok"));
        Delivery d = enqueue("r1", Channel.FCM, "fcm-token");
        PacerService p = start(config(1000, 100, Duration.ofHours(2)), fcm);
        eventually(() -> "sent".equals(ledgerState(d)));
        assertEquals(2, fcm.calls.size());
        long gapMs = (fcm.calls.get(1).atNanos() - fcm.calls.get(0).atNanos()) / 1_000_000;
        assertTrue(gapMs >= 780, "retried after " + gapMs + " ms");
        assertEquals(1, count(p, MetricNames.DELIVERIES_DELIVERED));
    }

    @Test
    void dropsDeliveriesOlderThanTheTtlWithoutSending() throws Exception {
        ScriptedProvider sms = ScriptedProvider.accepting(Channel.SMS);
        Delivery old = enqueue("old", Channel.SMS, "+15550001111", System.currentTimeMillis() - Duration.ofHours(3).toMillis(), "queued");
        Delivery fresh = enqueue("fresh", Channel.SMS, "+15550002222");
        PacerService p = start(config(1000, 100, Duration.ofHours(2)), sms);
        eventually(() -> "sent".equals(ledgerState(fresh)) && "expired".equals(ledgerState(old)));
        assertEquals(0, sms.callsFor(old.id()));
        assertEquals(1, count(p, MetricNames.DELIVERIES_EXPIRED));
    }

    @Test
    void anAmbiguousSmsIsNotResentButAnAmbiguousPushIs() throws Exception {
        ScriptedProvider sms = ScriptedProvider.accepting(Channel.SMS);
        ScriptedProvider apns = ScriptedProvider.accepting(Channel.APNS);
        // both were mid-send when their previous pacer died
        Delivery s = enqueue("a1", Channel.SMS, "+15550003333", System.currentTimeMillis(), "sending:dead:1");
        Delivery a = enqueue("a2", Channel.APNS, "apns-token", System.currentTimeMillis(), "sending:dead:1");
        PacerService p = start(config(1000, 100, Duration.ofHours(2)), sms, apns);
        eventually(() -> "ambiguous".equals(ledgerState(s)) && "sent".equals(ledgerState(a)));
        assertEquals(0, sms.callsFor(s.id()));
        assertEquals(1, apns.callsFor(a.id()));
        assertEquals(2, count(p, MetricNames.DELIVERIES_AMBIGUOUS));
    }

    @Test
    void aMaybeSentSmsFailureIsNotRetried() throws Exception {
        ScriptedProvider sms = new ScriptedProvider(Channel.SMS,
                d -> new Outcome.RetryLater(Duration.ZERO, "timeout", Outcome.Scope.DESTINATION, true));
        Delivery s = enqueue("t1", Channel.SMS, "+15550004444");
        start(config(1000, 100, Duration.ofHours(2)), sms);
        eventually(() -> "ambiguous".equals(ledgerState(s)));
        Thread.sleep(300);
        assertEquals(1, sms.callsFor(s.id()));
    }

    @Test
    void aMaybeSentPushIsResentAndTheLedgerRemembersTheResend() throws Exception {
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        ScriptedProvider apns = new ScriptedProvider(Channel.APNS, d -> d.address().equals("apns-maybe")
                && attempts.getAndIncrement() == 0
                ? new Outcome.RetryLater(Duration.ZERO, "apns_timeout", Outcome.Scope.DESTINATION, true)
                : new Outcome.Delivered("ok"));
        Delivery a = enqueue("t2", Channel.APNS, "apns-maybe");
        Delivery b = enqueue("t3", Channel.APNS, "apns-sure");
        start(config(1000, 100, Duration.ofHours(2)), apns);
        eventually(() -> "sent".equals(ledgerState(a)) && "sent".equals(ledgerState(b)));
        assertEquals(2, apns.callsFor(a.id()));
        assertEquals("1", ledgerField(a, "amb:" + a.id()));
        assertEquals(null, ledgerField(b, "amb:" + b.id()));
    }

    @Test
    void settledDeliveriesAreNotSentAgain() throws Exception {
        ScriptedProvider apns = ScriptedProvider.accepting(Channel.APNS);
        Delivery done = enqueue("s1", Channel.APNS, "t-done", System.currentTimeMillis(), "sent");
        Delivery next = enqueue("s2", Channel.APNS, "t-next");
        PacerService p = start(config(1000, 100, Duration.ofHours(2)), apns);
        eventually(() -> "sent".equals(ledgerState(next)));
        assertEquals(0, apns.callsFor(done.id()));
        assertEquals(1, count(p, MetricNames.DUPLICATES_SUPPRESSED));
    }

    @Test
    void deadDestinationsAreUnregisteredAndTransientFailuresGoToDeadLettersAfterMaxAttempts() throws Exception {
        ScriptedProvider apns = new ScriptedProvider(Channel.APNS, d -> d.address().equals("gone")
                ? new Outcome.DeadDestination("Unregistered", 1L)
                : Outcome.RetryLater.destination(Duration.ZERO, "InternalServerError"));
        Delivery gone = enqueue("d1", Channel.APNS, "gone");
        Delivery flaky = enqueue("d2", Channel.APNS, "flaky");
        start(config(1000, 100, Duration.ofHours(2)), apns);
        eventually(() -> "dead".equals(ledgerState(gone)) && "dead_letter".equals(ledgerState(flaky)));
        assertEquals(List.of(gone.id()), removed.stream().map(Delivery::id).toList());
        assertEquals(5, apns.callsFor(flaky.id()));
        var dead = await(redis.send(Request.cmd(Command.LLEN).arg(Keys.deadLetters(shards.of(flaky.groupId()), Channel.APNS))));
        assertEquals(1, dead.toInteger());
    }
}

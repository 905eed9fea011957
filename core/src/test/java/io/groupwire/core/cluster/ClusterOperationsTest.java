package io.groupwire.core.cluster;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.groupwire.core.directory.Directory;
import io.groupwire.core.directory.Group;
import io.groupwire.core.fanout.FanoutBatch;
import io.groupwire.core.fanout.FanoutLedger;
import io.groupwire.core.intake.IntakeResult;
import io.groupwire.core.intake.MessageIntake;
import io.groupwire.core.redis.NotReplicatedException;
import io.groupwire.core.json.Json;
import io.groupwire.core.ledger.Completion;
import io.groupwire.core.ledger.DeliveryLedger;
import io.groupwire.core.ledger.DeliveryState;
import io.groupwire.core.ledger.Verdict;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.message.Message;
import io.groupwire.core.queue.ReliableQueue;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.RedisSettings;
import io.groupwire.core.redis.ShardCount;
import io.groupwire.core.redis.Shards;
import io.groupwire.core.testing.RedisCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mailbox, fan-out and delivery ledger on a real three-master Redis Cluster: shards spread over
 * all masters, every script of a shard runs in one slot, and the operations carry on after a
 * master fails over to its replica.
 */
class ClusterOperationsTest {
    static final int SHARDS = 16;
    static RedisCluster cluster;
    static Vertx vertx;
    static Redis redis;
    final Shards shards = new Shards(SHARDS);

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = RedisCluster.start();
        vertx = Vertx.vertx();
        RedisSettings settings = RedisSettings.fromEnv(new io.groupwire.core.config.Env(
                Map.of("GROUPWIRE_REDIS_CLUSTER_NODES", cluster.seeds(), "GROUPWIRE_SHARDS", Integer.toString(SHARDS))));
        redis = Redis.createClient(vertx, settings.toOptions());
    }

    @AfterAll
    static void stopCluster() {
        if (redis != null) {
            redis.close();
            await(vertx.close());
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void empty() {
        cluster.flushAll();
    }

    @Test
    void everyShardLivesInOneSlotAndTheShardsSpreadOverAllThreeMasters() {
        Map<Integer, Integer> shardsPerMaster = new HashMap<>();
        for (int s = 0; s < SHARDS; s++) {
            int slot = cluster.slot(Keys.mailbox(s).queue());
            for (String key : List.of(Keys.mailbox(s).inflight(), Keys.mailbox(s).lease(), Keys.ledger(s, "m1"),
                    Keys.outbox(s, Channel.APNS).queue(), Keys.retry(s, Channel.SMS), Keys.deadLetters(s, null),
                    Keys.group(s, "g"), Keys.groupMembers(s, "g"), Keys.guidBucket(s, 1))) {
                assertEquals(slot, cluster.slot(key), key);
            }
            shardsPerMaster.merge(cluster.masterOf(slot), 1, Integer::sum);
        }
        assertEquals(Set.copyOf(cluster.masters()), shardsPerMaster.keySet(), "shards per master " + shardsPerMaster);
        assertEquals(RedisCluster.MASTERS, shardsPerMaster.size());
    }

    @Test
    void enqueueClaimFanOutPaceAndAckOnEveryShard() {
        assertEquals(SHARDS, await(ShardCount.agree(redis, SHARDS)).count());
        Directory directory = new Directory(redis, shards, Clock.systemUTC());
        String alice = await(directory.createUser("Alice", null)).user().id();
        String bob = await(directory.createUser("Bob", "+15550000002")).user().id();
        List<Group> groups = groupOnEveryShard(directory, alice, bob);
        MessageIntake intake = MessageIntake.builder(redis, shards).guidTtl(Duration.ofHours(3)).mailboxHighWater(1000).build();
        for (Group g : groups) {
            assertEquals(IntakeResult.Status.ACCEPTED, await(intake.accept(g.id(), alice, "m-" + g.id(), "hi")).status());
            assertEquals(IntakeResult.Status.DUPLICATE, await(intake.accept(g.id(), alice, "m-" + g.id(), "hi")).status());
        }
        for (Group g : groups) {
            int shard = shards.of(g.id());
            deliverOnce(shard, g, bob);
        }
    }

    /** Claims the shard's one message, fans it out twice (a re-claim), and paces its one SMS delivery. */
    private void deliverOnce(int shard, Group g, String recipient) {
        ReliableQueue mailbox = new ReliableQueue(redis, Keys.mailbox(shard), "t", Duration.ofSeconds(10));
        assertEquals(true, await(mailbox.acquire()).held());
        List<String> claimed = await(mailbox.claim(10));
        assertEquals(1, claimed.size(), "shard " + shard);
        Message m = Json.read(claimed.get(0), Message.class);
        assertEquals(g.id(), m.groupId());
        Delivery d = Delivery.builder().id("d-" + m.id()).messageId(m.id()).groupId(g.id()).groupName(g.name())
                .senderId(m.senderId()).senderName("Alice").recipientId(recipient).channel(Channel.SMS)
                .address("+15550000002").text(m.text()).acceptedAtMillis(m.acceptedAtMillis()).build();
        FanoutLedger fanout = new FanoutLedger(redis, shard, "t", Duration.ofHours(3));
        assertEquals(List.of(1), await(fanout.apply(new FanoutBatch().fan(claimed.get(0), m.id(), List.of(d)))));
        // the same message claimed again after a crash yields no second delivery
        assertEquals(List.of(0), await(fanout.apply(new FanoutBatch().fan(claimed.get(0), m.id(), List.of(d)))));
        assertEquals(0L, await(mailbox.inflight()));

        ReliableQueue outbox = new ReliableQueue(redis, Keys.outbox(shard, Channel.SMS), "p", Duration.ofSeconds(10));
        await(outbox.acquire());
        List<String> out = await(outbox.claim(10));
        assertEquals(1, out.size());
        DeliveryLedger ledger = new DeliveryLedger(redis, shard, Channel.SMS, "p");
        assertEquals(List.of(Verdict.GO), await(ledger.begin(List.of(m.id()), List.of(d.id()), System.currentTimeMillis())));
        assertEquals(1, await(ledger.complete(List.of(Completion.settled(out.get(0), m.id(), d.id(), DeliveryState.SENT)))));
        assertEquals("sent", await(redis.send(Request.cmd(Command.HGET).arg(Keys.ledger(shard, m.id())).arg(d.id()))).toString());
        assertEquals(0L, await(outbox.inflight()));
    }

    private List<Group> groupOnEveryShard(Directory directory, String alice, String bob) {
        Map<Integer, Group> byShard = new HashMap<>();
        for (int i = 0; byShard.size() < SHARDS && i < 2000; i++) {
            Group g = await(directory.createGroup(alice, "g" + i, List.of(bob)));
            byShard.putIfAbsent(shards.of(g.id()), g);
        }
        assertEquals(SHARDS, byShard.size(), "a group on every shard");
        return new ArrayList<>(byShard.values());
    }

    @Test
    void waitCountsTheReplicaOfTheMasterThatStoredTheMessage() throws Exception {
        Directory directory = new Directory(redis, shards, Clock.systemUTC());
        String alice = await(directory.createUser("Alice", null)).user().id();
        Group g = await(directory.createGroup(alice, "G", List.of()));
        int master = cluster.masterOf(cluster.slot(Keys.mailbox(shards.of(g.id())).queue()));
        int replica = cluster.replicaOf(master);
        MessageIntake replicated = MessageIntake.builder(redis, shards).guidTtl(Duration.ofHours(3))
                .mailboxHighWater(1000).waitForReplicas(1, Duration.ofMillis(300)).build();
        assertEquals(IntakeResult.Status.ACCEPTED, await(replicated.accept(g.id(), alice, "one", "hi")).status());
        cluster.kill(replica);
        try {
            // the other masters still have their replicas: a WAIT sent to any of them would say 1.
            // Until the cluster marks the dead replica failed, the client cannot connect at all
            // (it connects to every node listed in CLUSTER SLOTS); those attempts prove nothing
            int refused = 0;
            long deadline = System.currentTimeMillis() + 20_000;
            while (refused < 5) {
                RuntimeException e = assertThrows(RuntimeException.class,
                        () -> await(replicated.accept(g.id(), alice, "alone", "hi")), "accepted without its replica");
                if (e.getCause() instanceof NotReplicatedException || e instanceof NotReplicatedException) {
                    refused++;
                } else if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
            }
        } finally {
            cluster.restart(replica);
        }
    }

    @Test
    void aReplicatedAcceptSurvivesTheFailoverOfItsMasterAndWorkCarriesOn() throws Exception {
        Directory directory = new Directory(redis, shards, Clock.systemUTC());
        String alice = await(directory.createUser("Alice", null)).user().id();
        String bob = await(directory.createUser("Bob", "+15550000002")).user().id();
        Group g = await(directory.createGroup(alice, "G", List.of(bob)));
        int shard = shards.of(g.id());
        MessageIntake replicated = MessageIntake.builder(redis, shards).guidTtl(Duration.ofHours(3))
                .mailboxHighWater(1000).waitForReplicas(1, Duration.ofSeconds(2)).build();
        // WAIT must reach the master that ran the script, not any node: a replica acknowledges it
        IntakeResult before = await(replicated.accept(g.id(), alice, "before", "hi"));
        assertEquals(IntakeResult.Status.ACCEPTED, before.status());

        int master = cluster.masterOf(cluster.slot(Keys.mailbox(shard).queue()));
        long t0 = System.nanoTime();
        int promoted = cluster.failover(master);
        System.out.printf("failover of node %d to node %d took %d ms%n", master, promoted, (System.nanoTime() - t0) / 1_000_000);
        assertNotEquals(master, cluster.masterOf(cluster.slot(Keys.mailbox(shard).queue())));

        // the client finds the new master by itself; the first calls may still fail while it learns the new topology
        MessageIntake plain = MessageIntake.builder(redis, shards).guidTtl(Duration.ofHours(3)).mailboxHighWater(1000).build();
        IntakeResult retry = eventually(() -> plain.accept(g.id(), alice, "before", "hi"));
        assertEquals(IntakeResult.Status.DUPLICATE, retry.status(), "the accepted message survived the failover");
        assertEquals(before.message().id(), retry.message().id());
        deliverOnce(shard, g, bob);

        cluster.restart(master);
        assertEquals("slave", cluster.node(master).replication().get("role"), "the old master came back as a replica");
    }

    private static <T> T eventually(Supplier<Future<T>> call) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try {
                return await(call.get());
            } catch (RuntimeException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}

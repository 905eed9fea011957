package io.groupwire.transport;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.groupwire.core.directory.Device;
import io.groupwire.core.directory.Directory;
import io.groupwire.core.intake.IntakeResult;
import io.groupwire.core.intake.MessageIntake;
import io.groupwire.core.json.Json;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.Shards;
import io.groupwire.core.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The attack, replayed against the transport: Mallory registers Bob's APNs token. Her
 * groups' messages then reach the token (it is hers now) but Bob's groups' do not, and once Bob
 * takes it back and removes it, nobody's messages reach it.
 */
class TokenOwnershipRoutingTest {
    static final int SHARDS = 4;
    static final String BOBS_PHONE = "8f3e5a0c2b7d4e1f9a6b3c8d5e2f7a4b1c6d9e0f3a8b5c2d7e4f1a6b9c3d8e5f";
    Vertx vertx;
    Redis redis;
    Shards shards = new Shards(SHARDS);
    Directory dir;
    MessageIntake intake;
    TransportService transport;
    String alice;
    String bob;
    String mallory;
    String carol;
    String bobsGroup;
    String mallorysGroup;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        redis = TestRedis.client(vertx);
        TestRedis.flushAll(redis);
        dir = new Directory(redis, shards, Clock.systemUTC());
        intake = MessageIntake.builder(redis, shards).guidTtl(Duration.ofHours(3)).build();
        alice = await(dir.createUser("Alice", null)).user().id();
        bob = await(dir.createUser("Bob", null)).user().id();
        mallory = await(dir.createUser("Mallory", null)).user().id();
        carol = await(dir.createUser("Carol", null)).user().id();
        bobsGroup = await(dir.createGroup(alice, "Bob's", List.of(bob))).id();
        mallorysGroup = await(dir.createGroup(carol, "Mallory's", List.of(mallory))).id();
        transport = await(TransportService.start(vertx, TransportConfig.builder().redis(TestRedis.settings(SHARDS))
                .host("127.0.0.1").port(0).batchSize(50).idlePoll(Duration.ofMillis(5))
                .workerId("t-" + System.nanoTime()).build()));
    }

    @AfterEach
    void tearDown() {
        await(transport.stop());
        redis.close();
        await(vertx.close());
    }

    @Test
    void aTokenReceivesOnlyItsCurrentOwnersMessages() throws Exception {
        await(dir.registerDevice(bob, Channel.APNS, BOBS_PHONE));
        assertEquals(List.of(bob), recipientsOf(bobsGroup, alice), "Bob's own phone gets his group's messages");

        await(dir.registerDevice(mallory, Channel.APNS, BOBS_PHONE));
        assertEquals(List.of(), recipientsOf(bobsGroup, alice), "Bob's registration ended when the token moved");
        assertEquals(List.of(mallory), recipientsOf(mallorysGroup, carol), "the token is Mallory's now");

        Device back = await(dir.registerDevice(bob, Channel.APNS, BOBS_PHONE)).device();
        assertEquals(List.of(), recipientsOf(mallorysGroup, carol), "Bob signed back in: Mallory's registration ended");
        assertEquals(List.of(bob), recipientsOf(bobsGroup, alice));

        await(dir.removeDevice(bob, back.id()));
        assertEquals(List.of(), recipientsOf(bobsGroup, alice), "removed by its owner: the token ends everywhere");
        assertEquals(List.of(), recipientsOf(mallorysGroup, carol));
    }

    /**
     * Sends a message to the group and returns the recipients of its APNs deliveries to the token,
     * once the transport has fanned it out (a control message by SMS would need a phone; the
     * in-flight list emptying after the claim says the same).
     */
    private List<String> recipientsOf(String groupId, String sender) throws InterruptedException {
        String apns = Keys.outbox(shards.of(groupId), Channel.APNS).queue();
        await(redis.send(Request.cmd(Command.DEL).arg(apns)));
        IntakeResult r = await(intake.accept(groupId, sender, "guid-" + System.nanoTime(), "hello"));
        assertEquals(IntakeResult.Status.ACCEPTED, r.status());
        String mailbox = Keys.mailbox(shards.of(groupId)).queue();
        String inflight = Keys.mailbox(shards.of(groupId)).inflight();
        long deadline = System.currentTimeMillis() + 15_000;
        while (llen(mailbox) + llen(inflight) > 0) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the transport did not fan the message out in 15 s");
            }
            Thread.sleep(10);
        }
        List<String> out = new ArrayList<>();
        for (Response e : await(redis.send(Request.cmd(Command.LRANGE).arg(apns).arg(0).arg(-1)))) {
            Delivery d = Json.read(e.toString(), Delivery.class);
            if (d.address().equals(BOBS_PHONE) && d.messageId().equals(r.message().id())) {
                out.add(d.recipientId());
            }
        }
        return out;
    }

    private long llen(String key) {
        return await(redis.send(Request.cmd(Command.LLEN).arg(key))).toLong();
    }
}

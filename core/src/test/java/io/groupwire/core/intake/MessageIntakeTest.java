package io.groupwire.core.intake;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.Shards;
import io.groupwire.core.testing.RedisTestBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MessageIntakeTest extends RedisTestBase {
    final Shards shards = new Shards(16);

    @BeforeEach
    void group() {
        int s = shards.of("g1");
        await(redis.send(Request.cmd(Command.HSET).arg(Keys.group(s, "g1")).arg("id").arg("g1")));
        await(redis.send(Request.cmd(Command.SADD).arg(Keys.groupMembers(s, "g1")).arg("alice")));
    }

    private MessageIntake intake(long hwm) {
        return MessageIntake.builder(redis, shards).guidTtl(Duration.ofHours(3)).mailboxHighWater(hwm).build();
    }

    private long depth() {
        return await(redis.send(Request.cmd(Command.LLEN).arg(Keys.mailbox(shards.of("g1")).queue()))).toLong();
    }

    @Test
    void acceptsOnceForTheSameSourceGuid() {
        IntakeResult first = await(intake(0).accept("g1", "alice", "guid-1", "hello"));
        assertEquals(IntakeResult.Status.ACCEPTED, first.status());
        IntakeResult again = await(intake(0).accept("g1", "alice", "guid-1", "hello"));
        assertEquals(IntakeResult.Status.DUPLICATE, again.status());
        assertEquals(first.message(), again.message());
        assertEquals(1, depth());
    }

    @Test
    void refusesNonMembersUnknownGroupsAndFullMailboxes() {
        assertEquals(IntakeResult.Status.NOT_MEMBER, await(intake(0).accept("g1", "mallory", "x", "hi")).status());
        assertEquals(IntakeResult.Status.NO_GROUP, await(intake(0).accept("nope", "alice", "x", "hi")).status());
        assertEquals(IntakeResult.Status.ACCEPTED, await(intake(1).accept("g1", "alice", "a", "hi")).status());
        assertEquals(IntakeResult.Status.FULL, await(intake(1).accept("g1", "alice", "b", "hi")).status());
        assertEquals(1, depth());
    }

    @Test
    void aRetryOfAnAcceptedMessageIsAnsweredAsSuchEvenWhenTheMailboxIsFull() {
        IntakeResult first = await(intake(1).accept("g1", "alice", "r", "hi"));
        assertEquals(IntakeResult.Status.ACCEPTED, first.status());
        IntakeResult retry = await(intake(1).accept("g1", "alice", "r", "hi"));
        assertEquals(IntakeResult.Status.DUPLICATE, retry.status());
        assertEquals(first.message().id(), retry.message().id());
        // a refused message leaves no guid record behind: its retry may be accepted later
        assertEquals(IntakeResult.Status.FULL, await(intake(1).accept("g1", "alice", "later", "hi")).status());
        assertEquals(IntakeResult.Status.ACCEPTED, await(intake(0).accept("g1", "alice", "later", "hi")).status());
    }

    @Test
    void aGuidReusedInAnotherGroupOfTheSameShardOrWithAnotherTextIsAConflict() {
        int s = shards.of("g1");
        // another group on the same shard, so that the same guid record is reached
        String other = null;
        for (int i = 0; other == null; i++) {
            if (shards.of("o" + i) == s) {
                other = "o" + i;
            }
        }
        await(redis.send(Request.cmd(Command.HSET).arg(Keys.group(s, other)).arg("id").arg(other)));
        await(redis.send(Request.cmd(Command.SADD).arg(Keys.groupMembers(s, other)).arg("alice")));
        IntakeResult first = await(intake(0).accept("g1", "alice", "reused", "hi"));
        assertEquals(IntakeResult.Status.ACCEPTED, first.status());
        assertEquals(IntakeResult.Status.CONFLICT, await(intake(0).accept(other, "alice", "reused", "hi")).status());
        assertEquals(IntakeResult.Status.CONFLICT, await(intake(0).accept("g1", "alice", "reused", "hi!")).status());
        assertEquals(first.message(), await(intake(0).accept("g1", "alice", "reused", "hi")).message());
        assertEquals(1, depth());
    }

    @Test
    void aGuidReusedInAGroupOfAnotherShardIsAConflictToo() {
        int s = shards.of("g1");
        String elsewhere = null;
        for (int i = 0; elsewhere == null; i++) {
            if (shards.of("e" + i) != s) {
                elsewhere = "e" + i;
            }
        }
        int e = shards.of(elsewhere);
        await(redis.send(Request.cmd(Command.HSET).arg(Keys.group(e, elsewhere)).arg("id").arg(elsewhere)));
        await(redis.send(Request.cmd(Command.SADD).arg(Keys.groupMembers(e, elsewhere)).arg("alice")));
        assertEquals(IntakeResult.Status.ACCEPTED, await(intake(0).accept("g1", "alice", "reused", "hi")).status());
        assertEquals(IntakeResult.Status.CONFLICT, await(intake(0).accept(elsewhere, "alice", "reused", "hi")).status());
        assertEquals(0, await(redis.send(Request.cmd(Command.LLEN).arg(Keys.mailbox(e).queue()))).toLong(),
                "nothing enqueued");
        // and the other way round: first used there, then here
        assertEquals(IntakeResult.Status.ACCEPTED, await(intake(0).accept(elsewhere, "alice", "second", "hi")).status());
        assertEquals(IntakeResult.Status.CONFLICT, await(intake(0).accept("g1", "alice", "second", "hi")).status());
        // concurrent uses in two shards: exactly one is accepted
        io.vertx.core.Future<IntakeResult> here = intake(0).accept("g1", "alice", "racing", "hi");
        io.vertx.core.Future<IntakeResult> there = intake(0).accept(elsewhere, "alice", "racing", "hi");
        assertEquals(java.util.Set.of(IntakeResult.Status.ACCEPTED, IntakeResult.Status.CONFLICT),
                java.util.Set.of(await(here).status(), await(there).status()));
    }

    @Test
    void refusesWhileAnOutboxOfTheShardIsOverItsHighWaterMark() {
        MessageIntake intake = MessageIntake.builder(redis, shards).guidTtl(Duration.ofHours(3)).outboxHighWater(2).build();
        assertEquals(IntakeResult.Status.ACCEPTED, await(intake.accept("g1", "alice", "a", "hi")).status());
        String outbox = Keys.outbox(shards.of("g1"), io.groupwire.core.message.Channel.SMS).queue();
        await(redis.send(Request.cmd(Command.LPUSH).arg(outbox).arg("d1").arg("d2")));
        assertEquals(IntakeResult.Status.FULL, await(intake.accept("g1", "alice", "b", "hi")).status());
        await(redis.send(Request.cmd(Command.RPOP).arg(outbox)));
        assertEquals(IntakeResult.Status.ACCEPTED, await(intake.accept("g1", "alice", "c", "hi")).status());
    }

    @Test
    void concurrentSendsAreBatchedAndEachAnsweredOnItsOwn() {
        MessageIntake intake = intake(0);
        java.util.List<io.vertx.core.Future<IntakeResult>> all = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            // a repeated guid repeats its group and text: a retry, not a conflict
            all.add(intake.accept(i % 7 == 0 ? "nope" : "g1", i % 5 == 0 ? "mallory" : "alice",
                    "c" + (i % 250) + (i % 7 == 0 ? "-nope" : ""), "m" + (i % 250)));
        }
        int accepted = 0;
        int duplicates = 0;
        for (int i = 0; i < all.size(); i++) {
            IntakeResult r = await(all.get(i));
            if (i % 7 == 0) {
                assertEquals(IntakeResult.Status.NO_GROUP, r.status());
            } else if (i % 5 == 0) {
                assertEquals(IntakeResult.Status.NOT_MEMBER, r.status());
            } else if (r.status() == IntakeResult.Status.ACCEPTED) {
                accepted++;
            } else {
                assertEquals(IntakeResult.Status.DUPLICATE, r.status());
                duplicates++;
            }
        }
        assertEquals(accepted, depth());
        assertEquals(500 - 500 / 7 - 1 - (100 - 100 / 7 - 1), accepted + duplicates);
        org.junit.jupiter.api.Assertions.assertTrue(duplicates > 0, "guids repeat every 250 sends");
    }

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        long millis = 1_700_000_000_000L;

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(millis);
        }
    }

    @Test
    void aSourceGuidIsRememberedForItsWholeTtlWhateverBucketItFellIn() {
        HandClock clock = new HandClock();
        Duration ttl = Duration.ofHours(3);
        MessageIntake intake = MessageIntake.builder(redis, shards).clock(clock).guidTtl(ttl).build();
        long width = ttl.toMillis() / GuidBuckets.SPLIT;
        // the last millisecond of a bucket, the worst place to be written: the record must still
        // be found a whole TTL later, across every bucket boundary in between
        clock.millis = (clock.millis / width + 1) * width - 1;
        IntakeResult first = await(intake.accept("g1", "alice", "late", "hi"));
        assertEquals(IntakeResult.Status.ACCEPTED, first.status());
        for (long later = 0; later <= ttl.toMillis(); later += width / 2) {
            clock.millis = first.message().acceptedAtMillis() + later;
            IntakeResult retry = await(intake.accept("g1", "alice", "late", "hi"));
            assertEquals(IntakeResult.Status.DUPLICATE, retry.status(), "after " + later + " ms");
            assertEquals(first.message().id(), retry.message().id());
        }
        // and its bucket lives in Redis at least until then
        long ttlSeconds = await(redis.send(Request.cmd(Command.TTL)
                .arg(Keys.guidBucket(shards.of("g1"), first.message().acceptedAtMillis() / width)))).toLong();
        assertEquals(true, ttlSeconds * 1000 >= ttl.toMillis(), "bucket ttl " + ttlSeconds + " s");
        // once the TTL and one more bucket have passed, the guid is new again
        clock.millis = first.message().acceptedAtMillis() + ttl.toMillis() + width + 1;
        assertEquals(IntakeResult.Status.ACCEPTED, await(intake.accept("g1", "alice", "late", "hi")).status());
    }

    @Test
    void senderAndGuidCannotBeConfusedByTheirSeparator() {
        int s = shards.of("g1");
        await(redis.send(Request.cmd(Command.SADD).arg(Keys.groupMembers(s, "g1")).arg("a").arg("a:b")));
        assertEquals(IntakeResult.Status.ACCEPTED, await(intake(0).accept("g1", "a", "b:c", "hi")).status());
        assertEquals(IntakeResult.Status.ACCEPTED, await(intake(0).accept("g1", "a:b", "c", "hi")).status());
        assertEquals(2, depth());
    }

    @Test
    void theSameGuidTwiceInOneBatchIsAcceptedOnceAndTheSecondNamesTheFirst() {
        MessageIntake intake = intake(0);
        java.util.List<io.vertx.core.Future<IntakeResult>> all = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(intake.accept("g1", "alice", "same", "the same text"));
        }
        IntakeResult first = await(all.get(0));
        assertEquals(IntakeResult.Status.ACCEPTED, first.status());
        for (int i = 1; i < all.size(); i++) {
            IntakeResult r = await(all.get(i));
            assertEquals(IntakeResult.Status.DUPLICATE, r.status());
            assertEquals(first.message().id(), r.message().id());
        }
        assertEquals(1, depth());
    }

    @Test
    void messageIdsAreTwelveHexDigitsOfMillisecondsThenSixteenRandomOnes() {
        long before = System.currentTimeMillis();
        String id = MessageIntake.newId();
        long after = System.currentTimeMillis();
        org.junit.jupiter.api.Assertions.assertTrue(id.matches("[0-9a-f]{28}"), id);
        long millis = Long.parseLong(id.substring(0, 12), 16);
        org.junit.jupiter.api.Assertions.assertTrue(millis >= before && millis <= after, id);
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(MessageIntake.newId());
        }
        assertEquals(10_000, ids.size());
    }
}

package io.groupwire.core.reply;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.directory.Directory;
import io.groupwire.core.directory.Group;
import io.groupwire.core.redis.Shards;
import io.groupwire.core.testing.RedisTestBase;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A member's number per group: distinct while the pool lasts, shared beyond it, released on leave, routed back. */
class ReplyNumbersTest extends RedisTestBase {
    static final NumberPool POOL = new NumberPool(List.of("+15550100100", "+15550100101", "+15550100102"));
    Directory dir;
    ReplyNumbers numbers;
    String ann;
    String annPhone;

    @BeforeEach
    void users() {
        dir = new Directory(redis, new Shards(16), Clock.systemUTC());
        numbers = new ReplyNumbers(redis, POOL);
        annPhone = "+1202555" + String.format("%04d", (int) (Math.random() * 10000));
        ann = await(dir.createUser("Ann", annPhone)).user().id();
    }

    String group() {
        return await(dir.createGroup(ann, "g", List.of())).id();
    }

    @Test
    void eachGroupGetsItsOwnNumberWhichStaysAndRoutesRepliesBack() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            String g = group();
            String n = await(numbers.forSending(ann, annPhone, g)).number();
            assertTrue(seen.add(n), "a number this member uses for no other group");
            assertEquals(n, await(numbers.forViewing(ann, annPhone, g)).number(), "stable");
            ReplyNumbers.Route r = await(numbers.route(annPhone, n));
            assertEquals(ann, r.userId());
            assertEquals(g, r.groupId());
        }
        assertEquals(Set.copyOf(POOL.numbers()), seen);
    }

    @Test
    void overflowGroupsShareTheFirstNumberAndRepliesGoToTheLatestSender() {
        String[] gs = new String[5];
        for (int i = 0; i < gs.length; i++) {
            gs[i] = group();
            await(numbers.forSending(ann, annPhone, gs[i]));
        }
        assertEquals(POOL.overflow(), await(numbers.forViewing(ann, annPhone, gs[3])).number());
        assertEquals(POOL.overflow(), await(numbers.forViewing(ann, annPhone, gs[4])).number());
        assertEquals(gs[4], await(numbers.route(annPhone, POOL.overflow())).groupId(), "the latest on the shared number");
        await(numbers.forSending(ann, annPhone, gs[3]));
        assertEquals(gs[3], await(numbers.route(annPhone, POOL.overflow())).groupId());
        await(numbers.forViewing(ann, annPhone, gs[4]));
        assertEquals(gs[3], await(numbers.route(annPhone, POOL.overflow())).groupId(), "viewing moves nothing");
    }

    @Test
    void leavingReleasesTheNumberAndLosingThePhoneForgetsAll() {
        String g1 = group();
        String g2 = group();
        String n1 = await(numbers.forSending(ann, annPhone, g1)).number();
        await(numbers.forSending(ann, annPhone, g2));
        assertTrue(await(dir.removeMember(g1, ann)));
        assertNull(await(numbers.route(annPhone, n1)).groupId(), "a reply to a left group's number goes nowhere");
        String g3 = group();
        assertEquals(n1, await(numbers.forSending(ann, annPhone, g3)).number(), "the freed number is used again");

        await(dir.removeDeadPhone(ann, annPhone));
        ReplyNumbers.Route gone = await(numbers.route(annPhone, n1));
        assertNull(gone.userId());
        assertNull(gone.groupId());
    }

    @Test
    void stopStartAndMuteAreRecordedPerPhoneAndGroup() {
        String g = group();
        String n = await(numbers.forSending(ann, annPhone, g)).number();
        assertTrue(await(numbers.optOut(annPhone)));
        assertFalse(await(numbers.optOut(annPhone)), "once");
        assertTrue(await(numbers.forSending(ann, annPhone, g)).optedOut());
        assertTrue(await(numbers.route(annPhone, n)).optedOut());
        assertTrue(await(numbers.optIn(annPhone)));
        assertFalse(await(numbers.forSending(ann, annPhone, g)).optedOut());
        await(numbers.mute(annPhone, g, true));
        assertTrue(await(numbers.forSending(ann, annPhone, g)).muted());
        await(numbers.mute(annPhone, g, false));
        assertFalse(await(numbers.forSending(ann, annPhone, g)).muted());
    }

    @Test
    void anotherUserWithTheSamePhoneGetsTheSharedNumberAndNoRoute() {
        String bob = await(dir.createUser("Bob", null)).user().id();
        Group g = await(dir.createGroup(bob, "b", List.of()));
        ReplyNumbers.Assignment a = await(numbers.forSending(bob, annPhone, g.id()));
        assertFalse(a.owner());
        assertNotEquals(bob, await(numbers.route(annPhone, a.number())).userId());
    }
}

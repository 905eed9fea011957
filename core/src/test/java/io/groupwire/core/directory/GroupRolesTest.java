package io.groupwire.core.directory;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.directory.GroupChange.Status;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.Shards;
import io.groupwire.core.testing.ManualClock;
import io.groupwire.core.testing.RedisTestBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Owner, admins and members, as GroupMe has them, checked atomically with each change. */
class GroupRolesTest extends RedisTestBase {
    static final Shards SHARDS = new Shards(16);
    final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    Directory dir;
    String owner;
    String admin;
    String member;
    String other;
    String stranger;

    @BeforeEach
    void users() {
        dir = new Directory(redis, SHARDS, new ManualClock(now));
        owner = user("Owner");
        admin = user("Admin");
        member = user("Member");
        other = user("Other");
        stranger = user("Stranger");
    }

    String user(String name) {
        return await(dir.createUser(name, null)).user().id();
    }

    Group groupOfAll() {
        Group g = await(dir.createGroup(owner, "Climbing", List.of(admin, member, other)));
        assertEquals(owner, g.ownerId(), "the creator owns the group");
        assertEquals(Status.OK, await(dir.nameAdmin(g.id(), owner, admin)).status());
        return g;
    }

    Status status(io.vertx.core.Future<GroupChange> change) {
        return await(change).status();
    }

    @Test
    void onlyTheOwnerAndAdminsAddAndRemoveMembersAndNobodyRemovesTheOwner() {
        Group g = groupOfAll();
        String id = g.id();
        assertEquals(Status.FORBIDDEN, status(dir.addMember(id, member, stranger)), "a member may not add");
        assertEquals(Status.FORBIDDEN, status(dir.removeMember(id, member, other)), "nor remove");
        assertEquals(Status.FORBIDDEN, status(dir.removeMember(id, admin, owner)), "nobody removes the owner");
        assertEquals(Status.FORBIDDEN, status(dir.removeMember(id, member, owner)));
        assertEquals(Status.NOT_MEMBER, status(dir.addMember(id, stranger, stranger)), "to a stranger the group does not exist");
        assertEquals(Status.NOT_MEMBER, status(dir.group(id, stranger)));

        GroupChange added = await(dir.addMember(id, admin, stranger));
        assertEquals(Status.OK, added.status());
        assertTrue(added.group().members().contains(stranger));
        assertEquals(Status.SAME, status(dir.addMember(id, owner, stranger)));
        assertEquals(Status.OK, status(dir.removeMember(id, admin, stranger)), "an admin removes a member");
        assertEquals(Status.NO_TARGET, status(dir.removeMember(id, admin, stranger)));
        assertEquals(Status.NO_USER, status(dir.addMember(id, owner, "u_nobody")));
        assertEquals(Status.NO_GROUP, status(dir.addMember("g_none", owner, member)));
    }

    @Test
    void adminsAreNamedByOwnerOrAdminsAndRemovedOnlyByTheOwner() {
        Group g = groupOfAll();
        String id = g.id();
        assertEquals(Status.FORBIDDEN, status(dir.nameAdmin(id, member, other)), "a member names no admins");
        GroupChange named = await(dir.nameAdmin(id, admin, member));
        assertEquals(Status.OK, named.status());
        assertEquals(List.of(admin, member).stream().sorted().toList(), named.group().admins());
        assertEquals(Status.SAME, status(dir.nameAdmin(id, owner, member)));
        assertEquals(Status.SAME, status(dir.nameAdmin(id, owner, owner)), "the owner needs no admin role");
        assertEquals(Status.NO_TARGET, status(dir.nameAdmin(id, owner, stranger)), "only members become admins");

        assertEquals(Status.FORBIDDEN, status(dir.removeMember(id, admin, member)), "an admin does not remove an admin");
        assertEquals(Status.FORBIDDEN, status(dir.revokeAdmin(id, admin, member)));
        assertEquals(Status.OK, status(dir.revokeAdmin(id, member, member)), "an admin may step down");
        assertEquals(Status.NO_TARGET, status(dir.revokeAdmin(id, owner, member)));
        assertEquals(Status.OK, status(dir.removeMember(id, owner, admin)), "the owner removes an admin");
        assertEquals(List.of(), await(dir.group(id)).admins());
    }

    @Test
    void anyMemberMayLeaveAndTheOwnersLeavingHandsTheGroupToTheLongestStandingMember() {
        Group g = await(dir.createGroup(owner, "Climbing", List.of(admin)));
        String id = g.id();
        now.addAndGet(1000);
        assertEquals(Status.OK, status(dir.addMember(id, owner, member)));
        now.addAndGet(1000);
        assertEquals(Status.OK, status(dir.addMember(id, owner, other)));
        assertEquals(Status.OK, status(dir.removeMember(id, other, other)), "any member may leave");
        assertFalse(await(dir.isMember(id, other)));

        assertEquals(Status.OK, status(dir.removeMember(id, owner, owner)));
        Group after = await(dir.group(id));
        assertEquals(admin, after.ownerId(), "the member who joined with the owner outranks later ones");
        assertEquals(Status.OK, status(dir.removeMember(id, admin, member)), "and has the owner's rights");
        assertEquals(Status.OK, status(dir.removeMember(id, admin, admin)));
        Group empty = await(dir.group(id));
        assertEquals(List.of(), empty.members());
        assertNull(empty.ownerId());
    }

    @Test
    void theOwnerHandsOwnershipOverAndBecomesAnAdmin() {
        Group g = groupOfAll();
        String id = g.id();
        assertEquals(Status.FORBIDDEN, status(dir.transferOwnership(id, admin, admin)), "only the owner hands it over");
        assertEquals(Status.NO_TARGET, status(dir.transferOwnership(id, owner, stranger)));
        GroupChange handed = await(dir.transferOwnership(id, owner, member));
        assertEquals(Status.OK, handed.status());
        assertEquals(member, handed.group().ownerId());
        assertEquals(List.of(admin, owner).stream().sorted().toList(), handed.group().admins());
        assertEquals(Status.OK, status(dir.removeMember(id, member, owner)), "the new owner may remove the old one");
        assertEquals(Status.FORBIDDEN, status(dir.removeMember(id, admin, member)));
    }

    @Test
    void groupsFromBeforeOwnersKeepWorkingWithTheCreatorOrElseTheLongestStandingMemberAsOwner() {
        // as the previous version wrote them: a hash without owner_id, members, no admins, no join times
        int shard = SHARDS.of("g_legacy1");
        legacyGroup("g_legacy1", owner, List.of(owner, admin, member));
        Group g = await(dir.group("g_legacy1"));
        assertEquals(owner, g.ownerId());
        assertEquals(Status.FORBIDDEN, status(dir.removeMember("g_legacy1", member, owner)), "the creator is the owner");
        assertEquals(Status.OK, status(dir.addMember("g_legacy1", owner, other)));
        assertEquals(owner, await(redis.send(Request.cmd(Command.HGET).arg(Keys.group(shard, "g_legacy1"))
                .arg("owner_id"))).toString(), "the first change records the owner");

        // the creator was removed before owners existed: the longest-standing member owns it,
        // members without join times counting as joined at creation (ties: the smaller id)
        legacyGroup("g_legacy2", stranger, List.of(member, admin));
        String expected = List.of(member, admin).stream().sorted().toList().get(0);
        assertEquals(expected, await(dir.group("g_legacy2")).ownerId());
        assertEquals(Status.OK, status(dir.addMember("g_legacy2", expected, other)));
        assertEquals(expected, await(dir.group("g_legacy2")).ownerId(), "a later member does not outrank them");
    }

    void legacyGroup(String id, String creator, List<String> members) {
        int shard = SHARDS.of(id);
        Request sadd = Request.cmd(Command.SADD).arg(Keys.groupMembers(shard, id));
        members.forEach(sadd::arg);
        await(redis.send(sadd));
        await(redis.send(Request.cmd(Command.HSET).arg(Keys.group(shard, id)).arg("id").arg(id).arg("name").arg("Old")
                .arg("creator_id").arg(creator).arg("created_at").arg(now.get() - 86_400_000)));
    }
}

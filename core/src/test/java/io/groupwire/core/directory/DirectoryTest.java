package io.groupwire.core.directory;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.message.Channel;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.Shards;
import io.groupwire.core.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DirectoryTest {
    static Vertx vertx;
    static Redis redis;
    Directory dir;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        redis = TestRedis.client(vertx);
    }

    @AfterAll
    static void stop() {
        redis.close();
        await(vertx.close());
    }

    @BeforeEach
    void clean() {
        TestRedis.flushAll(redis);
        dir = new Directory(redis, new Shards(16), Clock.systemUTC());
    }

    private String version() {
        var r = await(redis.send(Request.cmd(Command.GET).arg(Keys.DIRECTORY_VERSION)));
        return r == null ? "0" : r.toString();
    }

    @Test
    void tokensAuthenticateTheirUserAndAreStoredOnlyHashed() {
        CreatedUser alice = await(dir.createUser("Alice", "+15550000001"));
        assertEquals("Alice", await(dir.authenticate(alice.token())).name());
        assertNull(await(dir.authenticate("not-a-token")));
        assertNull(await(redis.send(Request.cmd(Command.GET).arg("gw:token:{" + alice.token() + "}"))));
        assertEquals(alice.user().id(), await(redis.send(Request.cmd(Command.GET).arg(Keys.token(Directory.sha256(alice.token()))))).toString());
    }

    @Test
    void devicesAreIdempotentAndDeadOnesAreRemovedOnlyIfNotRegisteredSince() {
        String uid = await(dir.createUser("Bob", null)).user().id();
        Device d = await(dir.addDevice(uid, Channel.APNS, "tok1"));
        assertEquals(d, await(dir.addDevice(uid, Channel.APNS, "tok1")));
        assertEquals(1, await(dir.devices(uid)).size());
        // the provider says it died before it was registered: keep it
        assertFalse(await(dir.removeDeadDevice(uid, d.id(), "tok1", d.createdAtMillis() - 1000)));
        // another token under that id: keep it
        assertFalse(await(dir.removeDeadDevice(uid, d.id(), "other", 0)));
        String before = version();
        assertTrue(await(dir.removeDeadDevice(uid, d.id(), "tok1", d.createdAtMillis() + 1)));
        assertNotEquals(before, version());
        assertEquals(0, await(dir.devices(uid)).size());
    }

    @Test
    void groupsHoldTheCreatorAndMembersUpToTheCap() {
        String a = await(dir.createUser("A", null)).user().id();
        String b = await(dir.createUser("B", null)).user().id();
        assertEquals(List.of("u_missing"), await(dir.missingUsers(List.of(a, "u_missing", b))));
        Group g = await(dir.createGroup(a, "G", List.of(b)));
        assertEquals(2, await(dir.group(g.id())).members().size());
        assertTrue(await(dir.isMember(g.id(), b)));
        assertEquals(Directory.AddResult.ALREADY_MEMBER, await(dir.addMember(g.id(), b)));
        assertEquals(Directory.AddResult.NO_GROUP, await(dir.addMember("g_none", b)));
        assertTrue(await(dir.removeMember(g.id(), b)));
        assertFalse(await(dir.isMember(g.id(), b)));
        assertNull(await(dir.group("g_none")));
        // fill to the cap
        Request sadd = Request.cmd(Command.SADD).arg(Keys.groupMembers(new Shards(16).of(g.id()), g.id()));
        for (int i = 0; i < Group.MAX_MEMBERS - 1; i++) {
            sadd.arg("filler" + i);
        }
        await(redis.send(sadd));
        assertEquals(Directory.AddResult.FULL, await(dir.addMember(g.id(), b)));
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < Group.MAX_MEMBERS; i++) {
            tooMany.add("x" + i);
        }
        assertTrue(dir.createGroup(a, "big", tooMany).failed());
    }

    @Test
    void aDeadPhoneIsForgottenOnlyIfUnchanged() {
        String uid = await(dir.createUser("C", "+15550000003")).user().id();
        assertFalse(await(dir.removeDeadPhone(uid, "+15550009999")));
        assertTrue(await(dir.removeDeadPhone(uid, "+15550000003")));
        assertNull(await(dir.user(uid)).phone());
    }
}

package io.groupwire.core.directory;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.json.Json;
import io.groupwire.core.message.Channel;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.Shards;
import io.groupwire.core.testing.BulkUsers;
import io.groupwire.core.testing.ManualClock;
import io.groupwire.core.testing.RedisTestBase;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DirectoryTest extends RedisTestBase {
    static final Shards SHARDS = new Shards(16);
    final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    Directory dir;

    @BeforeEach
    void clean() {
        Clock clock = new ManualClock(now);
        dir = new Directory(redis, SHARDS, clock);
    }

    private long version() {
        Response r = await(redis.send(Request.cmd(Command.GET).arg(Keys.DIRECTORY_VERSION)));
        return r == null ? 0 : r.toLong();
    }

    private Map<String, String> hash(String key) {
        Response r = await(redis.send(Request.cmd(Command.HGETALL).arg(key)));
        Map<String, String> out = new HashMap<>();
        for (String field : r.getKeys()) {
            out.put(field, r.get(field).toString());
        }
        return out;
    }


    private static Throwable failure(Future<?> f) {
        try {
            await(f);
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void usersAreStoredInTheSharedLayoutWithATokenShownOnce() {
        long before = version();
        CreatedUser alice = await(dir.createUser("Alice", "+15550000001"));
        assertTrue(alice.user().id().matches("u_[A-Za-z0-9_-]{16}"), alice.user().id());
        assertTrue(alice.token().matches("[A-Za-z0-9_-]{43}"), "32 random bytes in base64url: " + alice.token());
        assertEquals(Map.of("id", alice.user().id(), "name", "Alice", "phone", "+15550000001",
                "created_at", Long.toString(now.get())), hash(Keys.user(alice.user().id())));
        assertEquals(before + 1, version());

        CreatedUser bob = await(dir.createUser("Bob", null));
        assertFalse(hash(Keys.user(bob.user().id())).containsKey("phone"));
        assertEquals(new User(bob.user().id(), "Bob", null, now.get()), await(dir.user(bob.user().id())));
        assertNull(await(dir.user("u_nobody")));
    }

    @Test
    void tokensAuthenticateTheirUserAndAreStoredOnlyHashed() {
        CreatedUser alice = await(dir.createUser("Alice", "+15550000001"));
        assertEquals(alice.user(), await(dir.authenticate(alice.token())));
        assertNull(await(dir.authenticate("not-a-token")));
        assertNull(await(dir.authenticate("")));
        assertNull(await(redis.send(Request.cmd(Command.GET).arg(Keys.token(alice.token())))));
        String hex = Directory.sha256(alice.token());
        assertTrue(hex.matches("[0-9a-f]{64}"));
        assertEquals(alice.user().id(), await(redis.send(Request.cmd(Command.GET).arg(Keys.token(hex)))).toString());
        // no key anywhere holds the clear token
        Response keys = await(redis.send(Request.cmd(Command.KEYS).arg("*" + alice.token() + "*")));
        assertEquals(0, keys.size());
    }

    @Test
    void aDeviceRegisteredTwiceIsOneDeviceEvenWhenTheRegistrationsRace() {
        String uid = await(dir.createUser("Bob", null)).user().id();
        long before = version();
        Device d = await(dir.addDevice(uid, Channel.APNS, "tok1"));
        assertEquals(new Device(d.id(), uid, Channel.APNS, "tok1", now.get()), d);
        assertTrue(version() > before);
        // stored as Device JSON under its id, where the transport reads it
        String stored = await(redis.send(Request.cmd(Command.HGET).arg(Keys.userDevices(uid)).arg(d.id()))).toString();
        assertEquals(d, Json.read(stored, Device.class));

        now.addAndGet(1000);
        assertEquals(d, await(dir.addDevice(uid, Channel.APNS, "tok1")));
        // the same token on the other platform is another registration
        Device fcm = await(dir.addDevice(uid, Channel.FCM, "tok1"));
        assertFalse(fcm.id().equals(d.id()));

        List<Future<Device>> racing = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            racing.add(dir.addDevice(uid, Channel.FCM, "racing-token"));
        }
        await(Future.all(racing));
        for (Future<Device> f : racing) {
            assertEquals(racing.get(0).result(), f.result());
        }
        assertEquals(3, await(dir.devices(uid)).size());
    }

    @Test
    void aUserHasAtMostTheMaximumNumberOfDevicesEvenUnderConcurrency() {
        String uid = await(dir.createUser("Many", null)).user().id();
        for (int i = 0; i < Directory.MAX_DEVICES - 1; i++) {
            await(dir.addDevice(uid, Channel.FCM, "t" + i));
        }
        List<Future<Device>> racing = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            racing.add(dir.addDevice(uid, Channel.APNS, "race" + i));
        }
        await(Future.join(racing).otherwiseEmpty());
        int won = 0;
        for (Future<Device> f : racing) {
            if (f.succeeded()) {
                won++;
            } else {
                assertInstanceOf(TooManyDevicesException.class, f.cause());
            }
        }
        int count = await(dir.devices(uid)).size();
        assertTrue(count <= Directory.MAX_DEVICES, "devices: " + count);
        assertEquals(Directory.MAX_DEVICES - 1 + won, count);
        // an existing registration is still answered at the cap
        if (count == Directory.MAX_DEVICES) {
            assertNotNull(await(dir.addDevice(uid, Channel.FCM, "t0")));
            assertInstanceOf(TooManyDevicesException.class, failure(dir.addDevice(uid, Channel.FCM, "one-more")));
        }
    }

    @Test
    void deadDevicesAreRemovedOnlyIfNotRegisteredAfterTheInvalidation() {
        String uid = await(dir.createUser("Bob", null)).user().id();
        Device d = await(dir.addDevice(uid, Channel.APNS, "tok1"));
        long registered = d.createdAtMillis();
        // the provider invalidated the token before this registration: the app registered it again since
        assertFalse(await(dir.removeDevice(uid, d.id(), registered - 1)));
        assertEquals(1, await(dir.devices(uid)).size());
        // the pacer's form also checks that the device still holds the token it sent to
        assertFalse(await(dir.removeDeadDevice(uid, d.id(), "other", registered + 1)));
        long before = version();
        assertTrue(await(dir.removeDevice(uid, d.id(), registered)));
        assertTrue(version() > before);
        assertEquals(0, await(dir.devices(uid)).size());
        assertFalse(await(dir.removeDevice(uid, d.id(), registered)));

        Device again = await(dir.addDevice(uid, Channel.APNS, "tok1"));
        assertTrue(await(dir.removeDeadDevice(uid, again.id(), "tok1", 0)), "an unknown invalidation time removes");
        Device mine = await(dir.addDevice(uid, Channel.FCM, "tok2"));
        assertTrue(await(dir.removeDevice(uid, mine.id())));
        assertFalse(await(dir.removeDevice(uid, mine.id())));
    }

    @Test
    void groupsAreStoredOnTheirShardWithTheCreatorAsMember() {
        String a = await(dir.createUser("A", null)).user().id();
        String b = await(dir.createUser("B", null)).user().id();
        long before = version();
        Group g = await(dir.createGroup(a, "Climbing", List.of(b, b, a)));
        assertTrue(g.id().matches("g_[A-Za-z0-9_-]{16}"), g.id());
        assertTrue(version() > before);
        int shard = SHARDS.of(g.id());
        assertEquals(Map.of("id", g.id(), "name", "Climbing", "creator_id", a, "created_at", Long.toString(now.get())),
                hash(Keys.group(shard, g.id())));
        assertEquals(2L, await(redis.send(Request.cmd(Command.SCARD).arg(Keys.groupMembers(shard, g.id())))).toLong());
        assertEquals(new Group(g.id(), "Climbing", a, now.get(), List.of(a, b).stream().sorted().toList()), await(dir.group(g.id())));
        assertTrue(await(dir.isMember(g.id(), b)));
        assertFalse(await(dir.isMember(g.id(), "u_stranger")));
        assertNull(await(dir.group("g_none")));
    }

    @Test
    void aGroupWithUnknownMembersIsNotCreated() {
        String a = await(dir.createUser("A", null)).user().id();
        String b = await(dir.createUser("B", null)).user().id();
        assertEquals(List.of("u_missing", "u_gone"), await(dir.missingUsers(List.of(a, "u_missing", b, "u_gone"))));
        UnknownUsersException e = assertInstanceOf(UnknownUsersException.class,
                failure(dir.createGroup(a, "G", List.of("u_missing", b, "u_gone"))));
        assertEquals(List.of("u_missing", "u_gone"), e.missing());
        assertEquals(0, await(redis.send(Request.cmd(Command.KEYS).arg("gw:{s*}:group:*"))).size());
    }

    @Test
    void groupsHoldAtMostTheMaximumOfMembersAtCreation() {
        List<String> users = BulkUsers.write(redis, "u_bulk", Group.MAX_MEMBERS);
        String creator = users.get(0);
        Group full = await(dir.createGroup(creator, "full", users.subList(1, users.size())));
        assertEquals(Group.MAX_MEMBERS, full.members().size());
        List<String> tooMany = new ArrayList<>(users);
        tooMany.add(await(dir.createUser("one more", null)).user().id());
        assertInstanceOf(IllegalArgumentException.class, failure(dir.createGroup(creator, "big", tooMany)));
    }

    @Test
    void addingMembersIsCappedAtomicallyAndRefusesUnknownUsersAndGroups() {
        String a = await(dir.createUser("A", null)).user().id();
        String b = await(dir.createUser("B", null)).user().id();
        Group g = await(dir.createGroup(a, "G", List.of()));
        long before = version();
        assertEquals(Directory.AddResult.ADDED, await(dir.addMember(g.id(), b)));
        assertTrue(version() > before);
        assertEquals(Directory.AddResult.ALREADY_MEMBER, await(dir.addMember(g.id(), b)));
        assertEquals(Directory.AddResult.NO_USER, await(dir.addMember(g.id(), "u_nobody")));
        assertFalse(await(dir.isMember(g.id(), "u_nobody")));
        assertEquals(Directory.AddResult.NO_GROUP, await(dir.addMember("g_none", b)));

        // fill to five below the cap, then race twenty additions: exactly five get in
        String members = Keys.groupMembers(SHARDS.of(g.id()), g.id());
        Request sadd = Request.cmd(Command.SADD).arg(members);
        for (int i = 0; i < Group.MAX_MEMBERS - 5 - 2; i++) {
            sadd.arg("filler" + i);
        }
        await(redis.send(sadd));
        List<Future<Directory.AddResult>> racing = new ArrayList<>();
        for (String u : BulkUsers.write(redis, "u_racer", 20)) {
            racing.add(dir.addMember(g.id(), u));
        }
        await(Future.all(racing));
        long added = racing.stream().filter(f -> f.result() == Directory.AddResult.ADDED).count();
        long full = racing.stream().filter(f -> f.result() == Directory.AddResult.FULL).count();
        assertEquals(5, added);
        assertEquals(15, full);
        assertEquals(Group.MAX_MEMBERS, await(redis.send(Request.cmd(Command.SCARD).arg(members))).toLong());
    }

    @Test
    void removingAMemberBumpsTheVersionAndAnswersWhetherTheyWereOne() {
        String a = await(dir.createUser("A", null)).user().id();
        String b = await(dir.createUser("B", null)).user().id();
        Group g = await(dir.createGroup(a, "G", List.of(b)));
        long before = version();
        assertTrue(await(dir.removeMember(g.id(), b)));
        assertTrue(version() > before);
        assertFalse(await(dir.isMember(g.id(), b)));
        // a retry finds nothing to do, and still bumps: the first call may have died before its bump
        long after = version();
        assertFalse(await(dir.removeMember(g.id(), b)));
        assertTrue(version() > after);
    }

    @Test
    void aDeadPhoneIsForgottenOnlyIfUnchanged() {
        String uid = await(dir.createUser("C", "+15550000003")).user().id();
        assertFalse(await(dir.removeDeadPhone(uid, "+15550009999")));
        assertEquals("+15550000003", await(dir.user(uid)).phone());
        assertTrue(await(dir.removeDeadPhone(uid, "+15550000003")));
        assertNull(await(dir.user(uid)).phone());
    }

    @Test
    void deviceIdsAreStableUrlSafeAndDoNotRevealTheToken() {
        String id = Ids.deviceId("u_1", "apns", "secret-token");
        assertEquals(id, Ids.deviceId("u_1", "apns", "secret-token"));
        assertFalse(id.equals(Ids.deviceId("u_2", "apns", "secret-token")));
        assertTrue(id.matches("d_[A-Za-z0-9_-]{16}"), id);
        assertFalse(id.contains("secret"));
        assertThrows(NullPointerException.class, () -> dir.createUser(null, null));
    }
}

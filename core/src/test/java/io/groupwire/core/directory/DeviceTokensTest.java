package io.groupwire.core.directory;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.json.Json;
import io.groupwire.core.message.Channel;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.Shards;
import io.groupwire.core.testing.RedisTestBase;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A device token belongs to one user at a time: registering moves it, its owner's removal ends it everywhere. */
class DeviceTokensTest extends RedisTestBase {
    static final String TOKEN = "8f3e5a0c2b7d4e1f9a6b3c8d5e2f7a4b1c6d9e0f3a8b5c2d7e4f1a6b9c3d8e5f";
    Directory dir;
    String bob;
    String mallory;

    @BeforeEach
    void users() {
        dir = new Directory(redis, new Shards(16), Clock.systemUTC());
        bob = await(dir.createUser("Bob", null)).user().id();
        mallory = await(dir.createUser("Mallory", null)).user().id();
    }

    /** Whether the registration receives messages, as the transport decides it. */
    boolean live(Device d) {
        Response owner = await(redis.send(DeviceTokens.ownerRead(d)));
        return DeviceTokens.live(d, owner) && await(dir.devices(d.userId())).contains(d);
    }

    long version() {
        return await(redis.send(Request.cmd(Command.GET).arg(Keys.DIRECTORY_VERSION))).toLong();
    }

    @Test
    void registeringAnotherUsersTokenMovesItAndEndsTheirRegistration() {
        DeviceRegistration first = await(dir.registerDevice(bob, Channel.APNS, TOKEN));
        assertNull(first.previousOwner());
        assertTrue(live(first.device()));

        long before = version();
        DeviceRegistration taken = await(dir.registerDevice(mallory, Channel.APNS, TOKEN));
        assertEquals(bob, taken.previousOwner(), "the move names whose registration ended");
        assertTrue(version() > before, "routes change");
        assertTrue(live(taken.device()));
        assertFalse(live(first.device()), "Bob's registration ended");
        assertEquals(List.of(), await(dir.devices(bob)), "and its entry is gone");

        // the same token on the other platform is another token
        assertNull(await(dir.registerDevice(bob, Channel.FCM, TOKEN)).previousOwner());
        assertTrue(live(taken.device()));

        // signing back in moves it back
        DeviceRegistration back = await(dir.registerDevice(bob, Channel.APNS, TOKEN));
        assertEquals(mallory, back.previousOwner());
        assertTrue(live(back.device()));
        assertFalse(live(taken.device()));

        // registering again what one holds changes nothing, not even the routes' version
        before = version();
        assertNull(await(dir.registerDevice(bob, Channel.APNS, TOKEN)).previousOwner());
        assertEquals(before, version());
    }

    @Test
    void theOwnersRemovalEndsTheTokenEverywhereAndAStaleRemovalEndsNothingElse() {
        Device bobs = await(dir.registerDevice(bob, Channel.APNS, TOKEN)).device();
        Device mallorys = await(dir.registerDevice(mallory, Channel.APNS, TOKEN)).device();
        // Bob's app re-registers at launch: the token is his again
        bobs = await(dir.registerDevice(bob, Channel.APNS, TOKEN)).device();
        // Mallory removing her ended registration does not touch Bob's
        assertFalse(await(dir.removeDevice(mallory, mallorys.id())), "hers was already gone");
        assertTrue(live(bobs));

        assertTrue(await(dir.removeDevice(bob, bobs.id())));
        assertFalse(live(bobs));
        assertFalse(live(mallorys));
        // registered again later, it is live again, and nobody's registration ended
        DeviceRegistration again = await(dir.registerDevice(mallory, Channel.APNS, TOKEN));
        assertNull(again.previousOwner());
        assertTrue(live(again.device()));
    }

    @Test
    void registrationsOlderThanOwnerRecordsStayLiveUntilTheTokenIsRegisteredOrRemovedAgain() {
        // two users registered the same token before owner records existed: both entries are live
        Device bobs = legacy(bob);
        Device mallorys = legacy(mallory);
        assertTrue(live(bobs));
        assertTrue(live(mallorys));
        // Bob removes his: the token ends everywhere, Mallory's old registration too
        assertTrue(await(dir.removeDevice(bob, bobs.id())));
        assertFalse(live(mallorys));

        Device again = legacy(bob);
        assertFalse(live(again), "an entry written behind the record's back is not live");
        DeviceRegistration registered = await(dir.registerDevice(bob, Channel.APNS, TOKEN));
        assertTrue(live(registered.device()));
    }

    @Test
    void aProvidersInvalidationReleasesTheTokenOnlyIfItRemovedTheRegistration() {
        Device d = await(dir.registerDevice(bob, Channel.APNS, TOKEN)).device();
        assertFalse(await(dir.removeDeadDevice(bob, d.id(), TOKEN, d.createdAtMillis() - 1)));
        assertTrue(live(d), "registered again after the invalidation: it stays");
        assertTrue(await(dir.removeDeadDevice(bob, d.id(), TOKEN, d.createdAtMillis())));
        assertFalse(live(d));
    }

    @Test
    void concurrentRegistrationsLeaveExactlyOneLiveOwner() {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            users.add(await(dir.createUser("U" + i, null)).user().id());
        }
        List<Future<DeviceRegistration>> racing = new ArrayList<>();
        for (String u : users) {
            racing.add(dir.registerDevice(u, Channel.FCM, "shared-token"));
        }
        await(Future.all(racing));
        int live = 0;
        for (Future<DeviceRegistration> f : racing) {
            live += live(f.result().device()) ? 1 : 0;
        }
        assertEquals(1, live, "one user at a time");
    }

    /** A registration as written before owner records existed: the entry alone. */
    Device legacy(String userId) {
        Device d = new Device(Ids.deviceId(userId, "apns", TOKEN), userId, Channel.APNS, TOKEN, System.currentTimeMillis());
        await(redis.send(Request.cmd(Command.HSET).arg(Keys.userDevices(userId)).arg(d.id()).arg(Json.write(d))));
        return d;
    }
}

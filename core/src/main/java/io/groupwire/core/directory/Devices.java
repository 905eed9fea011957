package io.groupwire.core.directory;

import io.groupwire.core.json.Json;
import io.groupwire.core.message.Channel;
import io.groupwire.core.redis.Keys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The users' push registrations: each user's devices hash (where the transport looks them up) and
 * the owner record of each token ({@link DeviceTokens}), which decides which one registration of a
 * token is live. The directory's version is bumped by the caller, {@link Directory}.
 */
final class Devices {
    private final Redis redis;
    private final Clock clock;
    private final DeviceTokens tokens;
    private final RemoveDeviceScript removeDevice;
    private final ReleaseDeviceTokenScript release;
    private final Supplier<Future<Void>> bump;

    Devices(Redis redis, Clock clock, Supplier<Future<Void>> bump) {
        this.redis = redis;
        this.clock = clock;
        this.bump = bump;
        this.tokens = new DeviceTokens(redis);
        this.removeDevice = new RemoveDeviceScript(redis);
        this.release = new ReleaseDeviceTokenScript(redis);
    }

    /**
     * Registers a device, or answers the existing registration of the same platform and token, and
     * makes it the token's live registration: another user's registration of the token ends (its
     * entry is removed; it was dead from the moment the owner record moved).
     *
     * <p>The entry is written before the owner record moves, so an interrupted registration leaves
     * at worst an entry that is not live yet, which the client's retry completes.
     */
    Future<DeviceRegistration> register(String userId, Channel platform, String token) {
        String id = Ids.deviceId(userId, platform.id(), token);
        String key = Keys.userDevices(userId);
        return device(key, id).compose(existing -> {
            Future<Device> stored = existing != null ? Future.succeededFuture(existing)
                    : insert(key, new Device(id, userId, platform, token, clock.millis()));
            return stored.compose(device -> tokens.claim(device).compose(claim -> {
                DeviceRegistration done = new DeviceRegistration(device, claim.previousOwner());
                if (claim.previousOwner() != null) {
                    return endRegistration(claim.previousOwner(), device).map(done);
                }
                // a registration that was live already changes no route
                return existing == null || claim.changed() ? bump.get().map(done) : Future.succeededFuture(done);
            }));
        });
    }

    /** Removes {@code previousOwner}'s entry of the token {@code now} took over, then bumps the version. */
    private Future<Void> endRegistration(String previousOwner, Device now) {
        String theirs = Ids.deviceId(previousOwner, now.platform().id(), now.token());
        return removeDevice.run(previousOwner, theirs, now.token(), 0).compose(removed -> bump.get());
    }

    private Future<Device> insert(String key, Device fresh) {
        return redis.send(Request.cmd(Command.HLEN).arg(key)).compose(count -> {
            if (count.toLong() >= Directory.MAX_DEVICES) {
                return Future.failedFuture(new TooManyDevicesException(Directory.MAX_DEVICES));
            }
            return redis.send(Request.cmd(Command.HSETNX).arg(key).arg(fresh.id()).arg(Json.write(fresh)))
                    .compose(set -> set.toInteger() == 1 ? keepUnderCap(key, fresh)
                            : device(key, fresh.id())); // a concurrent registration of the same token won
        });
    }

    /**
     * Checks the cap after the insert: two registrations racing at the cap may both have passed the
     * count check; each then sees the other and withdraws, so the cap is never exceeded for longer
     * than this round trip.
     */
    private Future<Device> keepUnderCap(String key, Device inserted) {
        return redis.send(Request.cmd(Command.HLEN).arg(key)).compose(count -> {
            if (count.toLong() <= Directory.MAX_DEVICES) {
                return Future.succeededFuture(inserted);
            }
            return redis.send(Request.cmd(Command.HDEL).arg(key).arg(inserted.id()))
                    .compose(r -> bump.get())
                    .compose(v -> Future.failedFuture(new TooManyDevicesException(Directory.MAX_DEVICES)));
        });
    }

    private Future<Device> device(String key, String deviceId) {
        return redis.send(Request.cmd(Command.HGET).arg(key).arg(deviceId))
                .map(r -> r == null ? null : Json.read(r.toString(), Device.class));
    }

    /** The user's devices, in no particular order, live or not. */
    Future<List<Device>> all(String userId) {
        return redis.send(Request.cmd(Command.HVALS).arg(Keys.userDevices(userId))).map(r -> {
            List<Device> out = new ArrayList<>(r.size());
            for (Response e : r) {
                out.add(Json.read(e.toString(), Device.class));
            }
            return out;
        });
    }

    /**
     * Removes one of the user's registrations (compare and clear on {@code token}, null for any, and
     * on the registration time) and, when it goes, ends the token's registration everywhere unless
     * another user holds the token by now. The caller bumps the version whatever this answers.
     *
     * @return whether the user's registration was removed
     */
    Future<Boolean> remove(String userId, String deviceId, String token, long invalidatedAtMillis) {
        return device(Keys.userDevices(userId), deviceId).compose(device -> {
            if (device == null) {
                return Future.succeededFuture(false);
            }
            return removeDevice.run(userId, deviceId, token, invalidatedAtMillis)
                    .compose(removed -> removed ? release.run(device).map(true) : Future.succeededFuture(false));
        });
    }
}

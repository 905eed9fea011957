package io.groupwire.core.directory;

import io.groupwire.core.json.Json;
import io.groupwire.core.message.Channel;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.groupwire.core.redis.Shards;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The group directory: users and their API tokens, devices and phones, groups and their members,
 * laid out as {@link Keys} says. Every change that alters where messages go bumps
 * {@link Keys#DIRECTORY_VERSION}, which is how the transport knows its cached routes are stale.
 */
public final class Directory {
    private static final LuaScript ADD_MEMBER = LuaScript.load("add_member");
    private static final LuaScript REMOVE_DEVICE = LuaScript.load("remove_device");
    private static final LuaScript CLEAR_PHONE = LuaScript.load("clear_phone");

    /** What adding a member did. */
    public enum AddResult { ADDED, ALREADY_MEMBER, NO_GROUP, FULL }

    private final Redis redis;
    private final Shards shards;
    private final Clock clock;

    public Directory(Redis redis, Shards shards, Clock clock) {
        this.redis = redis;
        this.shards = shards;
        this.clock = clock;
    }

    public Future<CreatedUser> createUser(String name, String phone) {
        User user = new User(Ids.newId("u_"), name, phone, clock.millis());
        String token = Ids.newToken();
        Request hset = Request.cmd(Command.HSET).arg(Keys.user(user.id())).arg("id").arg(user.id()).arg("name").arg(name)
                .arg("created_at").arg(user.createdAtMillis());
        if (phone != null) {
            hset.arg("phone").arg(phone);
        }
        return redis.send(hset)
                .compose(r -> redis.send(Request.cmd(Command.SET).arg(Keys.token(sha256(token))).arg(user.id())))
                .compose(r -> bump())
                .map(v -> new CreatedUser(user, token));
    }

    /** The user an API token belongs to, or null. */
    public Future<User> authenticate(String token) {
        return redis.send(Request.cmd(Command.GET).arg(Keys.token(sha256(token))))
                .compose(r -> r == null ? Future.succeededFuture(null) : user(r.toString()));
    }

    /** A user, or null. */
    public Future<User> user(String userId) {
        return redis.send(Request.cmd(Command.HMGET).arg(Keys.user(userId)).arg("name").arg("phone").arg("created_at"))
                .map(r -> r.get(0) == null ? null
                        : new User(userId, r.get(0).toString(), r.get(1) == null ? null : r.get(1).toString(),
                                r.get(2) == null ? 0 : r.get(2).toLong()));
    }

    /** Those of the ids that name no user, in the order given. */
    public Future<List<String>> missingUsers(List<String> userIds) {
        List<Future<Response>> checks = new ArrayList<>(userIds.size());
        for (String id : userIds) {
            checks.add(redis.send(Request.cmd(Command.EXISTS).arg(Keys.user(id))));
        }
        return Future.all(checks).map(all -> {
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < userIds.size(); i++) {
                if (checks.get(i).result().toInteger() == 0) {
                    missing.add(userIds.get(i));
                }
            }
            return missing;
        });
    }

    /** Registers a device; the same platform and token registered again returns the existing device. */
    public Future<Device> addDevice(String userId, Channel platform, String token) {
        return devices(userId).compose(existing -> {
            for (Device d : existing) {
                if (d.platform() == platform && d.token().equals(token)) {
                    return Future.succeededFuture(d);
                }
            }
            Device d = new Device(Ids.newId("d_"), userId, platform, token, clock.millis());
            return redis.send(Request.cmd(Command.HSET).arg(Keys.userDevices(userId)).arg(d.id()).arg(Json.write(d)))
                    .compose(r -> bump()).map(d);
        });
    }

    public Future<List<Device>> devices(String userId) {
        return redis.send(Request.cmd(Command.HVALS).arg(Keys.userDevices(userId))).map(r -> {
            List<Device> out = new ArrayList<>(r.size());
            for (Response e : r) {
                out.add(Json.read(e.toString(), Device.class));
            }
            return out;
        });
    }

    /** Removes one of the user's devices; false if the user has no such device. */
    public Future<Boolean> removeDevice(String userId, String deviceId) {
        return REMOVE_DEVICE.run(redis, List.of(Keys.userDevices(userId)), List.of(deviceId, "", "0"))
                .compose(this::bumpIfChanged);
    }

    /**
     * Removes a device a provider declared dead, only if it still holds that token and was
     * registered no later than {@code invalidatedAtMillis} (0: unknown, remove anyway).
     */
    public Future<Boolean> removeDeadDevice(String userId, String deviceId, String token, long invalidatedAtMillis) {
        return REMOVE_DEVICE.run(redis, List.of(Keys.userDevices(userId)),
                        List.of(deviceId, token, Long.toString(Math.max(0, invalidatedAtMillis))))
                .compose(this::bumpIfChanged);
    }

    /** Forgets a phone the SMS provider declared dead, if the user still has that number. */
    public Future<Boolean> removeDeadPhone(String userId, String phone) {
        return CLEAR_PHONE.run(redis, List.of(Keys.user(userId)), List.of(phone)).compose(this::bumpIfChanged);
    }

    /** Creates a group of the creator and the given members (who must exist: see {@link #missingUsers}). */
    public Future<Group> createGroup(String creatorId, String name, List<String> memberIds) {
        Set<String> members = new LinkedHashSet<>();
        members.add(creatorId);
        members.addAll(memberIds);
        if (members.size() > Group.MAX_MEMBERS) {
            return Future.failedFuture(new IllegalArgumentException("a group holds at most " + Group.MAX_MEMBERS + " members"));
        }
        String id = Ids.newId("g_");
        int shard = shards.of(id);
        long now = clock.millis();
        Request sadd = Request.cmd(Command.SADD).arg(Keys.groupMembers(shard, id));
        members.forEach(sadd::arg);
        // members first: a group hash without members would be a group nobody can post to
        return redis.send(sadd)
                .compose(r -> redis.send(Request.cmd(Command.HSET).arg(Keys.group(shard, id)).arg("id").arg(id)
                        .arg("name").arg(name).arg("creator_id").arg(creatorId).arg("created_at").arg(now)))
                .compose(r -> bump())
                .map(v -> new Group(id, name, creatorId, now, new ArrayList<>(members)));
    }

    /** A group with its members, or null. */
    public Future<Group> group(String groupId) {
        int shard = shards.of(groupId);
        return redis.send(Request.cmd(Command.HMGET).arg(Keys.group(shard, groupId)).arg("name").arg("creator_id").arg("created_at"))
                .compose(h -> {
                    if (h.get(0) == null) {
                        return Future.succeededFuture(null);
                    }
                    return redis.send(Request.cmd(Command.SMEMBERS).arg(Keys.groupMembers(shard, groupId))).map(m -> {
                        List<String> members = new ArrayList<>(m.size());
                        for (Response e : m) {
                            members.add(e.toString());
                        }
                        members.sort(null);
                        return new Group(groupId, h.get(0).toString(), h.get(1) == null ? null : h.get(1).toString(),
                                h.get(2) == null ? 0 : h.get(2).toLong(), members);
                    });
                });
    }

    public Future<Boolean> isMember(String groupId, String userId) {
        return redis.send(Request.cmd(Command.SISMEMBER).arg(Keys.groupMembers(shards.of(groupId), groupId)).arg(userId))
                .map(r -> r.toInteger() == 1);
    }

    public Future<AddResult> addMember(String groupId, String userId) {
        int shard = shards.of(groupId);
        return ADD_MEMBER.run(redis, List.of(Keys.group(shard, groupId), Keys.groupMembers(shard, groupId)),
                List.of(userId, Integer.toString(Group.MAX_MEMBERS))).compose(r -> {
                    AddResult result = switch (r.toInteger()) {
                        case 1 -> AddResult.ADDED;
                        case 0 -> AddResult.ALREADY_MEMBER;
                        case -1 -> AddResult.NO_GROUP;
                        default -> AddResult.FULL;
                    };
                    return result == AddResult.ADDED ? bump().map(result) : Future.succeededFuture(result);
                });
    }

    /** Removes a member; false if they were not one. */
    public Future<Boolean> removeMember(String groupId, String userId) {
        return redis.send(Request.cmd(Command.SREM).arg(Keys.groupMembers(shards.of(groupId), groupId)).arg(userId))
                .compose(this::bumpIfChanged);
    }

    private Future<Boolean> bumpIfChanged(Response r) {
        return r.toInteger() > 0 ? bump().map(true) : Future.succeededFuture(false);
    }

    private Future<Void> bump() {
        return redis.send(Request.cmd(Command.INCR).arg(Keys.DIRECTORY_VERSION)).mapEmpty();
    }

    /** The stored form of an API token: its SHA-256, so that a Redis dump reveals no usable token. */
    public static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.groupwire.core.directory;

import io.groupwire.core.json.Json;
import io.groupwire.core.message.Channel;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.Shards;
import io.groupwire.core.reply.ReplyNumbers;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The group directory: users and their API tokens, devices and phones, groups and their members,
 * laid out exactly as {@link Keys} says (the transport and the pacer read the same keys).
 *
 * <p>Every call that may alter where messages go (a user created, a device added or removed, a
 * member added or removed, a phone forgotten) increments {@link Keys#DIRECTORY_VERSION} after its
 * write, which is how the transport knows that its cached routes are stale. The increment cannot
 * share a script with the write (the version key lives in another Redis Cluster slot), so a crash
 * between the two would leave the version unchanged; that is why the removals and additions bump
 * the version even when they find nothing left to do: the caller's retry of a half-done change
 * then completes it.
 *
 * <p>All methods return Vert.x futures and may be called from any thread; the directory keeps no
 * state of its own besides the Redis client.
 */
public final class Directory {
    /** Most devices one user may register. */
    public static final int MAX_DEVICES = 20;

    /** What adding a member did. */
    public enum AddResult {
        /** The user is now a member. */
        ADDED,
        /** The user was a member already; nothing changed. */
        ALREADY_MEMBER,
        /** No such group. */
        NO_GROUP,
        /** No such user. */
        NO_USER,
        /** The group has {@link Group#MAX_MEMBERS} members already. */
        FULL
    }

    private final Redis redis;
    private final Shards shards;
    private final Clock clock;
    private final GroupMembership groups;
    private final Devices devices;
    private final ClearPhoneScript clearPhone;
    private final ReplyNumbers phones;

    public Directory(Redis redis, Shards shards, Clock clock) {
        this.redis = Objects.requireNonNull(redis);
        this.shards = Objects.requireNonNull(shards);
        this.clock = Objects.requireNonNull(clock);
        this.groups = new GroupMembership(redis, shards, clock, this::bump);
        this.devices = new Devices(redis, clock, this::bump);
        this.clearPhone = new ClearPhoneScript(redis);
        this.phones = new ReplyNumbers(redis, null);
    }

    /**
     * Creates a user and an API token for them. Only the token's SHA-256 is stored; the token itself
     * is in the answer and nowhere else.
     *
     * @param phone E.164 number or null (the caller validates it)
     */
    public Future<CreatedUser> createUser(String name, String phone) {
        Objects.requireNonNull(name, "name");
        User user = new User(Ids.newId("u_"), name, phone, clock.millis());
        String token = Ids.newToken();
        Request hset = Request.cmd(Command.HSET).arg(Keys.user(user.id())).arg("id").arg(user.id()).arg("name").arg(name)
                .arg("created_at").arg(user.createdAtMillis());
        if (phone != null) {
            hset.arg("phone").arg(phone);
        }
        // the user before the token: a token must never point at a user that does not exist
        return redis.send(hset)
                .compose(r -> redis.send(Request.cmd(Command.SET).arg(Keys.token(sha256(token))).arg(user.id())))
                .compose(r -> phone == null ? Future.succeededFuture() : phones.claimPhone(phone, user.id()))
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

    /**
     * Registers a device. The same platform and token registered again by the same user returns
     * the existing registration, also when both registrations race. Fails with
     * {@link TooManyDevicesException} when the user already has {@link #MAX_DEVICES} devices.
     * A token belongs to one user at a time: see {@link #registerDevice}.
     */
    public Future<Device> addDevice(String userId, Channel platform, String token) {
        return registerDevice(userId, platform, token).map(DeviceRegistration::device);
    }

    /**
     * Like {@link #addDevice}, and says whose registration of the token ended: the token moves to
     * this user, and the user who held it until now (another account on the same phone, or someone
     * who registered another user's token) stops receiving on it at once.
     */
    public Future<DeviceRegistration> registerDevice(String userId, Channel platform, String token) {
        return devices.register(userId, platform, token);
    }

    /** The user's registrations, in no particular order; a token another user took since is no longer among them. */
    public Future<List<Device>> devices(String userId) {
        return devices.all(userId);
    }

    /**
     * Removes one of the user's devices (the user asked); false if the user has no such device. If
     * the user's registration was the token's live one, the token ends everywhere: no user's older
     * registration of it receives anything any more.
     */
    public Future<Boolean> removeDevice(String userId, String deviceId) {
        return removeDevice(userId, deviceId, null, 0);
    }

    /**
     * Compare and clear, for a provider's invalidation of a device token: removes the device only if
     * it was registered no later than {@code invalidatedAtMillis}, so that a token the app
     * registered again after the provider invalidated it stays. A non-positive time means the
     * invalidation time is unknown: the device is removed.
     *
     * @return whether the device was removed
     */
    public Future<Boolean> removeDevice(String userId, String deviceId, long invalidatedAtMillis) {
        return removeDevice(userId, deviceId, null, invalidatedAtMillis);
    }

    /**
     * Like {@link #removeDevice(String, String, long)}, and only if the device still holds
     * {@code token}: what the pacer calls with the token it sent to.
     */
    public Future<Boolean> removeDeadDevice(String userId, String deviceId, String token, long invalidatedAtMillis) {
        return removeDevice(userId, deviceId, Objects.requireNonNull(token), invalidatedAtMillis);
    }

    /** @param token the token the device must still hold, null for any */
    private Future<Boolean> removeDevice(String userId, String deviceId, String token, long invalidatedAtMillis) {
        return devices.remove(userId, deviceId, token, invalidatedAtMillis).compose(this::bumpAnyway);
    }

    /** Forgets a phone the SMS provider declared dead, if the user still has that number. */
    public Future<Boolean> removeDeadPhone(String userId, String phone) {
        return clearPhone.run(userId, phone)
                .compose(cleared -> phones.forgetPhone(phone, userId).map(cleared))
                .compose(this::bumpAnyway);
    }

    /**
     * Creates a group of the creator and the given members. Fails with {@link UnknownUsersException}
     * if any of them (the creator included) is not a user, and with {@link IllegalArgumentException}
     * if they are more than {@link Group#MAX_MEMBERS}.
     */
    public Future<Group> createGroup(String creatorId, String name, List<String> memberIds) {
        Objects.requireNonNull(name, "name");
        Set<String> members = new LinkedHashSet<>();
        members.add(Objects.requireNonNull(creatorId, "creatorId"));
        members.addAll(memberIds);
        if (members.size() > Group.MAX_MEMBERS) {
            return Future.failedFuture(new IllegalArgumentException("a group holds at most " + Group.MAX_MEMBERS
                    + " members, creator included; " + members.size() + " were given"));
        }
        List<String> all = new ArrayList<>(members);
        // users are never deleted, so a user that exists now still exists when the group is written
        return missingUsers(all).compose(missing -> missing.isEmpty() ? write(creatorId, name, all)
                : Future.failedFuture(new UnknownUsersException(missing)));
    }

    private Future<Group> write(String creatorId, String name, List<String> members) {
        String id = Ids.newId("g_");
        int shard = shards.of(id);
        long now = clock.millis();
        Request sadd = Request.cmd(Command.SADD).arg(Keys.groupMembers(shard, id));
        members.forEach(sadd::arg);
        Request joined = Request.cmd(Command.ZADD).arg(Keys.groupJoined(shard, id));
        members.forEach(m -> joined.arg(now).arg(m));
        // members before the group hash: nobody knows the new id yet, and a half-written group is
        // a member set without a hash, which every reader (and the enqueue script) treats as absent
        return redis.send(sadd)
                .compose(r -> redis.send(joined))
                .compose(r -> redis.send(Request.cmd(Command.HSET).arg(Keys.group(shard, id)).arg("id").arg(id)
                        .arg("name").arg(name).arg("creator_id").arg(creatorId).arg("created_at").arg(now)))
                .compose(r -> bump())
                .map(v -> new Group(id, name, creatorId, now, members.stream().sorted().toList()));
    }

    /** A group with its members, owner and admins, or null. */
    public Future<Group> group(String groupId) {
        return groups.view(groupId, GroupRolesScript.SYSTEM).map(GroupChange::group);
    }

    /**
     * A group as {@code callerId} may see it: {@link GroupChange.Status#NO_GROUP} or
     * {@link GroupChange.Status#NOT_MEMBER} (which callers must answer alike: to a non-member the
     * group does not exist), else OK with the group.
     */
    public Future<GroupChange> group(String groupId, String callerId) {
        return groups.view(groupId, Objects.requireNonNull(callerId));
    }

    public Future<Boolean> isMember(String groupId, String userId) {
        return redis.send(Request.cmd(Command.SISMEMBER).arg(Keys.groupMembers(shards.of(groupId), groupId)).arg(userId))
                .map(r -> r.toInteger() == 1);
    }

    /**
     * Adds a user to a group on the directory's own authority (no caller's rights checked). The
     * group's existence, the membership and the member cap are checked and the member added in one
     * script, so concurrent additions never push a group past {@link Group#MAX_MEMBERS}.
     */
    public Future<AddResult> addMember(String groupId, String userId) {
        return groups.add(groupId, GroupRolesScript.SYSTEM, userId).map(change -> switch (change.status()) {
            case OK -> AddResult.ADDED;
            case SAME -> AddResult.ALREADY_MEMBER;
            case NO_USER -> AddResult.NO_USER;
            case FULL -> AddResult.FULL;
            default -> AddResult.NO_GROUP;
        });
    }

    /**
     * {@code callerId} adds {@code userId} to the group: the owner and admins may. OK (added) or SAME
     * (a member already) with the group; NO_USER, NO_GROUP, NOT_MEMBER, FORBIDDEN or FULL otherwise.
     */
    public Future<GroupChange> addMember(String groupId, String callerId, String userId) {
        return groups.add(groupId, Objects.requireNonNull(callerId), userId);
    }

    /** Removes a member on the directory's own authority (an owner removed is succeeded); false if they were not one. */
    public Future<Boolean> removeMember(String groupId, String userId) {
        return removeMember(groupId, GroupRolesScript.SYSTEM, userId).map(c -> c.status() == GroupChange.Status.OK);
    }

    /**
     * {@code callerId} removes {@code userId} from the group, or leaves it when they are the same.
     * Any member may leave; the owner and admins remove members, only the owner removes an admin,
     * and nobody removes the owner. When the owner leaves, the longest-standing member owns the group.
     * OK, or NO_GROUP, NOT_MEMBER, FORBIDDEN, NO_TARGET (not a member).
     */
    public Future<GroupChange> removeMember(String groupId, String callerId, String userId) {
        return groups.remove(groupId, Objects.requireNonNull(callerId), userId).compose(change ->
                change.status() == GroupChange.Status.OK ? releaseNumber(groupId, userId).map(change)
                        : Future.succeededFuture(change));
    }

    /** A member left: their reply number for the group is free again (removal is retried by callers, so this is too). */
    private Future<Void> releaseNumber(String groupId, String userId) {
        return user(userId).compose(u -> u == null || u.phone() == null ? Future.succeededFuture()
                : phones.release(u.phone(), groupId).mapEmpty());
    }

    /** {@code callerId} (the owner or an admin) names the member {@code userId} an admin. */
    public Future<GroupChange> nameAdmin(String groupId, String callerId, String userId) {
        return groups.change(groupId, GroupRolesScript.Op.PROMOTE, Objects.requireNonNull(callerId), userId);
    }

    /** {@code callerId} (the owner, or the admin themselves) takes the admin role from {@code userId}. */
    public Future<GroupChange> revokeAdmin(String groupId, String callerId, String userId) {
        return groups.change(groupId, GroupRolesScript.Op.DEMOTE, Objects.requireNonNull(callerId), userId);
    }

    /** {@code callerId}, the owner, hands ownership to the member {@code userId} and becomes an admin. */
    public Future<GroupChange> transferOwnership(String groupId, String callerId, String userId) {
        return groups.change(groupId, GroupRolesScript.Op.TRANSFER, Objects.requireNonNull(callerId), userId);
    }

    /** Bumps the version whatever the write did (see the class comment) and answers whether it changed something. */
    private Future<Boolean> bumpAnyway(boolean changed) {
        return bump().map(changed);
    }

    private Future<Void> bump() {
        return redis.send(Request.cmd(Command.INCR).arg(Keys.DIRECTORY_VERSION)).mapEmpty();
    }

    /** The stored form of an API token: its SHA-256 in hex, so that a Redis dump reveals no usable token. */
    public static String sha256(String token) {
        return HexFormat.of().formatHex(Ids.sha256(token));
    }
}

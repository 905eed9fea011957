package io.groupwire.core.directory;

import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The typed side of {@code group_roles.lua}: reads or changes a group's members, admins and owner,
 * checking the caller's right atomically with the change.
 */
final class GroupRolesScript {
    private static final LuaScript SCRIPT = LuaScript.load("group_roles");
    /** The caller that stands for the directory itself, which may do anything. */
    static final String SYSTEM = "";

    /** The script's operations. */
    enum Op {
        VIEW, ADD, REMOVE, PROMOTE, DEMOTE, TRANSFER
    }

    private final Redis redis;

    GroupRolesScript(Redis redis) {
        this.redis = redis;
    }

    /**
     * Runs {@code op} on the group for {@code caller} ({@link #SYSTEM} for the directory itself) on
     * {@code target} (ignored by VIEW) at {@code nowMillis}.
     */
    Future<GroupChange> run(int shard, String groupId, Op op, String caller, String target, long nowMillis) {
        List<String> keys = List.of(Keys.group(shard, groupId), Keys.groupMembers(shard, groupId),
                Keys.groupAdmins(shard, groupId), Keys.groupJoined(shard, groupId));
        List<String> args = List.of(op.name().toLowerCase(), caller, target == null ? "" : target,
                Long.toString(nowMillis), Integer.toString(Group.MAX_MEMBERS));
        return SCRIPT.run(redis, keys, args).map(r -> {
            GroupChange.Status status = GroupChange.Status.valueOf(r.get(0).toString());
            return new GroupChange(status, r.size() > 1 ? group(groupId, r) : null);
        });
    }

    /** The group from a reply {status, name, creator, created at, owner, {admins}, {members}}. */
    private static Group group(String groupId, Response r) {
        String creator = r.get(2).toString();
        String owner = r.get(4).toString();
        return new Group(groupId, r.get(1).toString(), creator.isEmpty() ? null : creator, r.get(3).toLong(),
                sorted(r.get(6)), owner.isEmpty() ? null : owner, sorted(r.get(5)));
    }

    private static List<String> sorted(Response set) {
        List<String> out = new ArrayList<>(set.size());
        for (Response e : set) {
            out.add(e.toString());
        }
        out.sort(null);
        return out;
    }
}

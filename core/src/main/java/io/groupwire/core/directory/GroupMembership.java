package io.groupwire.core.directory;

import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.Shards;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Groups' members and roles through {@link GroupRolesScript}, with what the script cannot check
 * (whether a user exists: that key lives in another slot) and the directory version bumps that
 * membership changes need. Used by {@link Directory}.
 */
final class GroupMembership {
    private final Redis redis;
    private final Shards shards;
    private final Clock clock;
    private final GroupRolesScript script;
    private final Supplier<Future<Void>> bump;

    GroupMembership(Redis redis, Shards shards, Clock clock, Supplier<Future<Void>> bump) {
        this.redis = redis;
        this.shards = shards;
        this.clock = clock;
        this.script = new GroupRolesScript(redis);
        this.bump = bump;
    }

    Future<GroupChange> view(String groupId, String caller) {
        return change(groupId, GroupRolesScript.Op.VIEW, caller, null);
    }

    /** Bumps the version when the user is a member now, also when they already were (a retry completes a half-done add). */
    Future<GroupChange> add(String groupId, String caller, String userId) {
        // users are never deleted: checking first is as good as checking inside the script
        return redis.send(Request.cmd(Command.EXISTS).arg(Keys.user(userId))).compose(exists -> {
            if (exists.toInteger() == 0) {
                return Future.succeededFuture(new GroupChange(GroupChange.Status.NO_USER, null));
            }
            return change(groupId, GroupRolesScript.Op.ADD, caller, userId).compose(c ->
                    c.status() == GroupChange.Status.OK || c.status() == GroupChange.Status.SAME
                            ? bump.get().map(c) : Future.succeededFuture(c));
        });
    }

    /** Bumps the version when the user is not a member now, also when they already were not. */
    Future<GroupChange> remove(String groupId, String caller, String userId) {
        return change(groupId, GroupRolesScript.Op.REMOVE, caller, userId).compose(c ->
                c.status() == GroupChange.Status.OK || c.status() == GroupChange.Status.NO_TARGET
                        ? bump.get().map(c) : Future.succeededFuture(c));
    }

    Future<GroupChange> change(String groupId, GroupRolesScript.Op op, String caller, String target) {
        return script.run(shards.of(groupId), groupId, op, caller, target, clock.millis());
    }
}

package io.groupwire.core.directory;

import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.List;

/**
 * The typed side of {@code add_member.lua}: adds a user to a group unless it is full, checking the
 * group, the membership and the cap atomically with the addition.
 */
final class AddMemberScript {
    private static final LuaScript SCRIPT = LuaScript.load("add_member");

    private final Redis redis;

    AddMemberScript(Redis redis) {
        this.redis = redis;
    }

    /**
     * Adds {@code userId} to the group unless it holds {@code maxMembers} already; completes with
     * {@link Directory.AddResult#ADDED}, {@code ALREADY_MEMBER}, {@code NO_GROUP} or {@code FULL}
     * (the script does not know users).
     */
    Future<Directory.AddResult> run(int shard, String groupId, String userId, int maxMembers) {
        return SCRIPT.run(redis, List.of(Keys.group(shard, groupId), Keys.groupMembers(shard, groupId)),
                List.of(userId, Integer.toString(maxMembers))).map(r -> switch (r.toInteger()) {
                    case 1 -> Directory.AddResult.ADDED;
                    case 0 -> Directory.AddResult.ALREADY_MEMBER;
                    case -1 -> Directory.AddResult.NO_GROUP;
                    default -> Directory.AddResult.FULL;
                });
    }
}

package io.groupwire.core.history;

import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The typed side of {@code likes.lua}: like, unlike (each with its event) or list the likes of a kept message. */
final class LikesScript {
    private static final LuaScript SCRIPT = LuaScript.load("likes");

    /** The script's operations. */
    enum Op { ADD, REMOVE, LIST }

    private final Redis redis;
    private final HistoryLimits limits;

    LikesScript(Redis redis, HistoryLimits limits) {
        this.redis = redis;
        this.limits = limits;
    }

    Future<LikeResult> run(Op op, int shard, String groupId, String messageId, String userId, long nowMillis) {
        List<String> keys = List.of(Keys.groupMembers(shard, groupId), Keys.historyMessages(shard, groupId),
                Keys.likes(shard, groupId, messageId), Keys.events(shard));
        List<String> args = List.of(op.name().toLowerCase(), userId, messageId, groupId, Long.toString(nowMillis),
                Long.toString(limits.ttl().toSeconds()), Long.toString(limits.streamMaxLength()));
        return SCRIPT.run(redis, keys, args).map(LikesScript::result);
    }

    private static LikeResult result(Response r) {
        switch (r.get(0).toString()) {
            case "M":
                return new LikeResult(LikeResult.Status.NOT_MEMBER, false, List.of());
            case "N":
                return new LikeResult(LikeResult.Status.NO_MESSAGE, false, List.of());
            default:
                if (r.size() == 2 && r.get(1).type() == io.vertx.redis.client.ResponseType.NUMBER) {
                    return new LikeResult(LikeResult.Status.OK, r.get(1).toInteger() == 1, List.of());
                }
                List<Like> likes = new ArrayList<>();
                for (int i = 1; i + 1 < r.size(); i += 2) {
                    likes.add(new Like(r.get(i).toString(), r.get(i + 1).toLong()));
                }
                likes.sort(Comparator.comparingLong(Like::likedAtMillis).thenComparing(Like::userId));
                return new LikeResult(LikeResult.Status.OK, false, likes);
        }
    }
}

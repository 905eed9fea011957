package io.groupwire.core.history;

import io.groupwire.core.redis.Shards;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import java.util.Objects;

/**
 * A group's history and likes, for its members: pages of kept messages with their like counts,
 * and likes, unlikes and who liked. Every change of a like is announced on the shard's event
 * stream in the same atomic step. Safe to call from any thread.
 */
public final class History {
    /** The largest page a read may ask for. */
    public static final int MAX_PAGE = 100;

    private final Shards shards;
    private final Clock clock;
    private final HistoryPageScript pages;
    private final LikesScript likes;

    public History(Redis redis, Shards shards, Clock clock, HistoryLimits limits) {
        this.shards = Objects.requireNonNull(shards);
        this.clock = Objects.requireNonNull(clock);
        this.pages = new HistoryPageScript(redis);
        this.likes = new LikesScript(redis, limits);
    }

    /**
     * Up to {@code limit} (1..{@link #MAX_PAGE}) of the group's messages, newest first: the newest,
     * those just older than {@code before}, or those just newer than {@code after} (ids or null).
     */
    public Future<HistoryPage> page(String groupId, String userId, String before, String after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE);
        }
        return pages.run(shards.of(groupId), groupId, userId, before, after, limit);
    }

    /** {@code userId} likes the message; a repeat changes nothing. */
    public Future<LikeResult> like(String groupId, String messageId, String userId) {
        return likes.run(LikesScript.Op.ADD, shards.of(groupId), groupId, messageId, userId, clock.millis());
    }

    /** {@code userId} takes their like back; without a like, nothing changes. */
    public Future<LikeResult> unlike(String groupId, String messageId, String userId) {
        return likes.run(LikesScript.Op.REMOVE, shards.of(groupId), groupId, messageId, userId, clock.millis());
    }

    /** Who liked the message, earliest first; {@code userId} must be a member. */
    public Future<LikeResult> likes(String groupId, String messageId, String userId) {
        return likes.run(LikesScript.Op.LIST, shards.of(groupId), groupId, messageId, userId, clock.millis());
    }
}

package io.groupwire.core.history;

import io.groupwire.core.json.Json;
import io.groupwire.core.message.Message;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/** The typed side of {@code history_page.lua}: one page of a group's history for a member. */
final class HistoryPageScript {
    private static final LuaScript SCRIPT = LuaScript.load("history_page");

    private final Redis redis;

    HistoryPageScript(Redis redis) {
        this.redis = redis;
    }

    /** {@code before} and {@code after} are message ids or null. */
    Future<HistoryPage> run(int shard, String groupId, String userId, String before, String after, int limit) {
        List<String> keys = List.of(Keys.groupMembers(shard, groupId), Keys.history(shard, groupId),
                Keys.historyMessages(shard, groupId), Keys.likeCounts(shard, groupId));
        List<String> args = List.of(userId, before == null ? "" : before, after == null ? "" : after, Integer.toString(limit));
        return SCRIPT.run(redis, keys, args).map(HistoryPageScript::page);
    }

    private static HistoryPage page(Response r) {
        switch (r.get(0).toString()) {
            case "M":
                return new HistoryPage(HistoryPage.Status.NOT_MEMBER, List.of());
            case "C":
                return new HistoryPage(HistoryPage.Status.NO_MESSAGE, List.of());
            default:
                List<KeptMessage> out = new ArrayList<>(r.size() / 2);
                for (int i = 1; i + 1 < r.size(); i += 2) {
                    // a count below 0 would be a counter bug; never show one
                    out.add(new KeptMessage(Json.read(r.get(i).toString(), Message.class), Math.max(0, r.get(i + 1).toLong())));
                }
                return new HistoryPage(HistoryPage.Status.OK, out);
        }
    }
}

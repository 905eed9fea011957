package io.groupwire.core.events;

import io.groupwire.core.json.Json;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The typed side of {@code dead_event.lua}: an entry that failed too often, dead-lettered and acknowledged. */
public final class DeadEventScript {
    private static final LuaScript SCRIPT = LuaScript.load("dead_event");

    private final Redis redis;
    private final String group;

    public DeadEventScript(Redis redis, String group) {
        this.redis = redis;
        this.group = group;
    }

    public Future<Void> run(EventEntry e, long deliveries) {
        Map<String, Object> letter = new LinkedHashMap<>();
        letter.put("consumer_group", group);
        letter.put("id", e.id());
        letter.put("deliveries", deliveries);
        letter.put("fields", e.fields());
        return SCRIPT.run(redis, List.of(Keys.events(e.shard()), Keys.deadEvents(e.shard())),
                List.of(group, e.id(), Json.write(letter))).mapEmpty();
    }
}

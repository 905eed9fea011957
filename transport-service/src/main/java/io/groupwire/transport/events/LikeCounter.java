package io.groupwire.transport.events;

import io.groupwire.core.events.CountLikeScript;
import io.groupwire.core.events.EventEntry;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.time.Duration;

/** The counters consumer: like.added and like.removed move the message's like count, exactly once per change of a liker's state. */
final class LikeCounter implements EventHandler {
    static final String GROUP = "counters";

    private final CountLikeScript script;

    LikeCounter(Redis redis, Duration historyTtl) {
        this.script = new CountLikeScript(redis, GROUP, historyTtl);
    }

    @Override
    public String group() {
        return GROUP;
    }

    @Override
    public Future<Boolean> handle(EventEntry e) {
        if (!"like.added".equals(e.type()) && !"like.removed".equals(e.type())) {
            return Future.succeededFuture(false);
        }
        return script.apply(e).map(true);
    }
}

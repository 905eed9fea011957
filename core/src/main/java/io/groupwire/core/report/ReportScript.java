package io.groupwire.core.report;

import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.List;

/** The typed side of {@code report.lua}: writes one instance's card and figures in one call. */
final class ReportScript {
    private static final LuaScript SCRIPT = LuaScript.load("report");

    private final Redis redis;

    ReportScript(Redis redis) {
        this.redis = redis;
    }

    /**
     * @param second the second that ended
     * @param window the ten-second window that ended with it, or null
     */
    Future<Void> report(String member, long nowMillis, long cardTtlMillis, String card, Figures second,
                        Figures window, long retentionSeconds) {
        long windowIndex = window == null ? second.start() / 10 : window.start() / 10;
        return SCRIPT.run(redis,
                List.of(Keys.reportInstances(), Keys.reportCard(member), Keys.reportSecond(second.start()),
                        Keys.reportTenSeconds(windowIndex)),
                List.of(member, Long.toString(nowMillis), Long.toString(cardTtlMillis), card, second.encode(),
                        Long.toString(retentionSeconds), window == null ? "" : window.encode()))
                .mapEmpty();
    }
}

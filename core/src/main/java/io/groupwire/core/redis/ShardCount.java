package io.groupwire.core.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/**
 * Makes every service of a deployment agree on the shard count: the first to start records its
 * count in Redis, and a service configured with another count refuses to start, because it would
 * read and write other keys than its peers and messages would sit unclaimed. A disagreement fails
 * with {@link Disagreement}, which no wait for Redis can cure.
 */
public final class ShardCount {
    private ShardCount() {
    }

    /** The configured shard count disagrees with the one recorded in Redis: a configuration error, not an outage. */
    public static final class Disagreement extends IllegalStateException {
        Disagreement(String message) {
            super(message);
        }
    }

    public static Future<Shards> agree(Redis redis, int configured) {
        return redis.send(Request.cmd(Command.SET).arg(Keys.CONFIG_SHARDS).arg(configured).arg("NX"))
                .compose(ignored -> redis.send(Request.cmd(Command.GET).arg(Keys.CONFIG_SHARDS)))
                .compose(r -> {
                    int recorded = r.toInteger();
                    if (recorded != configured) {
                        return Future.failedFuture(new Disagreement("GROUPWIRE_SHARDS is " + configured
                                + " but this Redis was set up with " + recorded + " shards; use " + recorded));
                    }
                    return Future.succeededFuture(new Shards(configured));
                });
    }
}

package io.groupwire.pacer;

import io.groupwire.core.message.Channel;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.queue.Timers;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/**
 * A provider-wide pause (a 429 for the account, a 503, rejected credentials), shared by every pacer
 * instance through a Redis key with an expiry: when one instance is told to wait, all wait.
 * Each instance reads the key a few times a second and answers {@link #remainingMillis} locally.
 */
final class ProviderPause {
    private final Redis redis;
    private final String key;
    private long untilMillis;

    ProviderPause(Redis redis, Channel channel) {
        this.redis = redis;
        this.key = Keys.pause(channel);
    }

    /** Reads the shared pause every {@code periodMillis}, on {@code timers} (the pacer's runner cancels them on stop). */
    void startPolling(Timers timers, long periodMillis) {
        timers.every(periodMillis, () -> redis.send(Request.cmd(Command.PTTL).arg(key)).onSuccess(r -> {
            long ttl = r.toLong();
            long until = ttl > 0 ? System.currentTimeMillis() + ttl : 0;
            untilMillis = Math.max(until, untilMillis > System.currentTimeMillis() ? untilMillis : 0);
        }));
    }

    long remainingMillis() {
        return Math.max(0, untilMillis - System.currentTimeMillis());
    }

    /** Pauses the channel for everyone, for at least {@code millis}. */
    void pause(long millis) {
        long until = System.currentTimeMillis() + millis;
        if (until > untilMillis) {
            untilMillis = until;
            redis.send(Request.cmd(Command.SET).arg(key).arg("1").arg("PX").arg(Math.max(1, millis)));
        }
    }
}

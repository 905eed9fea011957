package io.groupwire.core.directory;

import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.List;

/**
 * The typed side of {@code remove_device.lua}: removes a device registration only if it is the one
 * meant (compare and clear on its token and registration time).
 */
final class RemoveDeviceScript {
    private static final LuaScript SCRIPT = LuaScript.load("remove_device");
    /** The token argument that matches any token. */
    private static final String ANY_TOKEN = "";

    private final Redis redis;

    RemoveDeviceScript(Redis redis) {
        this.redis = redis;
    }

    /**
     * Removes the user's device if it holds {@code token} (null: any) and was registered no later
     * than {@code invalidatedAtMillis} (not positive: whenever); completes with whether it was removed.
     */
    Future<Boolean> run(String userId, String deviceId, String token, long invalidatedAtMillis) {
        return SCRIPT.run(redis, List.of(Keys.userDevices(userId)),
                        List.of(deviceId, token == null ? ANY_TOKEN : token, Long.toString(Math.max(0, invalidatedAtMillis))))
                .map(r -> r.toInteger() == 1);
    }
}

package io.groupwire.core.directory;

import io.groupwire.core.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.List;

/**
 * The typed side of {@code release_device_token.lua}: ends a token's registration everywhere,
 * unless another user holds the token by now.
 */
final class ReleaseDeviceTokenScript {
    private static final LuaScript SCRIPT = LuaScript.load("release_device_token");

    private final Redis redis;

    ReleaseDeviceTokenScript(Redis redis) {
        this.redis = redis;
    }

    /** Completes with whether the token of {@code device} is now owned by nobody. */
    Future<Boolean> run(Device device) {
        return SCRIPT.run(redis, List.of(DeviceTokens.ownerKey(device)),
                        List.of(DeviceTokens.ownerValue(device), DeviceTokens.NOBODY))
                .map(r -> r.toInteger() == 1);
    }
}

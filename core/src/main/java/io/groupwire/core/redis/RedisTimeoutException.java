package io.groupwire.core.redis;

import java.io.IOException;

/**
 * A Redis call did not answer within its deadline. The call may still take effect later, so the
 * caller must treat its outcome as unknown (for a message: the client's retry with the same
 * source_guid finds out).
 */
public final class RedisTimeoutException extends IOException {
    public RedisTimeoutException(String what, long millis) {
        super(what + " did not answer within " + millis + " ms");
    }
}

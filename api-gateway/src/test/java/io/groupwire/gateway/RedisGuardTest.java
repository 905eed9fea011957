package io.groupwire.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.redis.client.impl.types.ErrorType;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** Which Redis failures become a 503 with Retry-After (retry later) and which pass through. */
class RedisGuardTest {

    private static int status(Throwable t) {
        Throwable c = RedisGuard.classify(t);
        return c instanceof ApiException a ? a.status() : 500;
    }

    @Test
    void aCrashOrARestartingRedisIsUnavailableNotAnInternalError() {
        assertEquals(503, status(ErrorType.create("CONNECTION_CLOSED")));
        assertEquals(503, status(ErrorType.create("LOADING Redis is loading the dataset in memory")));
        assertEquals(503, status(ErrorType.create("CLUSTERDOWN The cluster is down")));
        assertEquals(503, status(ErrorType.create("OOM command not allowed when used memory > 'maxmemory'.")));
        assertEquals(503, status(new ConnectException("Connection refused")));
    }

    @Test
    void scriptErrorsAndBugsPassThrough() {
        Throwable scriptError = ErrorType.create("ERR Error running script");
        assertSame(scriptError, RedisGuard.classify(scriptError));
        IllegalStateException bug = new IllegalStateException("bug");
        assertSame(bug, RedisGuard.classify(bug));
    }
}

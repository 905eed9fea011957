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
    void aConnectionThatDroppedUnderACallIsTransientAlsoInsideABatch() {
        // what the client answers for the enqueue script and its WAIT when the master dies under them
        assertEquals(503, status(ErrorType.create("ERR [1] CONNECTION_CLOSED\nERR [0] CONNECTION_CLOSED")));
        assertEquals(503, status(ErrorType.create("ERR [0] MOVED 1234 127.0.0.1:7001")));
        // the batch reached the old master, back as a replica: it redirects the script and refuses WAIT
        assertEquals(503, status(ErrorType.create(
                "ERR [1] WAIT cannot be used with replica instances.\nERR [0] MOVED 4362 127.0.0.1:37901")));
        // the master's connection reset under the batch (a master killed)
        assertEquals(503, status(ErrorType.create("ERR [0] java.net.SocketException: Connection reset\n"
                + "ERR [1] java.net.SocketException: Connection reset")));
        // two failures joined by the client while the connection died under them, interleaved
        assertEquals(503, status(ErrorType.create(
                "ERR [ERR [1] 0] LOADING Redis is loading the dataset in memoryCLUSTERDOWN The cluster is down")));
        // a WAIT pending on a master that the cluster demoted while it waited
        assertEquals(503, status(ErrorType.create("ERR [0] CLUSTERDOWN The cluster is down\n"
                + "ERR [1] UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)")));
    }

    @Test
    void scriptErrorsAndBugsPassThrough() {
        Throwable scriptError = ErrorType.create("ERR Error running script");
        assertSame(scriptError, RedisGuard.classify(scriptError));
        IllegalStateException bug = new IllegalStateException("bug");
        assertSame(bug, RedisGuard.classify(bug));
        ErrorType inBatch = ErrorType.create("ERR [0] ERR user_script:1: Script attempted to access nonexistent global variable");
        assertSame(inBatch, RedisGuard.classify(inBatch));
        ErrorType mixed = ErrorType.create("ERR [0] WRONGTYPE Operation against a key\nERR [1] CONNECTION_CLOSED");
        assertSame(mixed, RedisGuard.classify(mixed));
    }
}

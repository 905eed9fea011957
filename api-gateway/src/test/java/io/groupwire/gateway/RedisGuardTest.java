package io.groupwire.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.redis.client.impl.types.ErrorType;
import org.junit.jupiter.api.Test;

/** Which Redis failures become a 503 (retry) and which stay errors (500 or the handler's 4xx). */
class RedisGuardTest {
    @Test
    void aConnectionThatDroppedUnderACallIsTransientAlsoInsideABatch() {
        // what the client answers for the enqueue script and its WAIT when the master dies under them
        Throwable batch = RedisGuard.classify(ErrorType.create("ERR [1] CONNECTION_CLOSED\nERR [0] CONNECTION_CLOSED"));
        assertEquals(503, ((ApiException) batch).status());
        assertEquals(503, ((ApiException) RedisGuard.classify(ErrorType.create("CONNECTION_CLOSED"))).status());
        assertEquals(503, ((ApiException) RedisGuard.classify(ErrorType.create("ERR [0] MOVED 1234 127.0.0.1:7001"))).status());
        // the batch reached the old master, back as a replica: it redirects the script and refuses WAIT
        assertEquals(503, ((ApiException) RedisGuard.classify(ErrorType.create(
                "ERR [1] WAIT cannot be used with replica instances.\nERR [0] MOVED 4362 127.0.0.1:37901"))).status());
    }

    @Test
    void aScriptErrorInsideABatchIsNotHiddenAsARetry() {
        ErrorType bug = ErrorType.create("ERR [0] ERR user_script:1: Script attempted to access nonexistent global variable");
        assertSame(bug, RedisGuard.classify(bug));
        ErrorType mixed = ErrorType.create("ERR [0] WRONGTYPE Operation against a key\nERR [1] CONNECTION_CLOSED");
        assertSame(mixed, RedisGuard.classify(mixed));
    }
}

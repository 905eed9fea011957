package io.groupwire.core.queue;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.redis.Keys;
import io.groupwire.core.testing.RedisTestBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An idle consumer's claims write nothing (issue 12: the AOF of a Redis with no traffic grew about
 * 50 KB/s, a lease renewal per empty claim every few milliseconds), yet a claiming consumer's lease
 * never runs down below two thirds.
 */
class IdleClaimTest extends RedisTestBase {

    long aofBytes() {
        String info = await(redis.send(Request.cmd(Command.INFO).arg("persistence"))).toString();
        for (String line : info.split("\r\n")) {
            if (line.startsWith("aof_current_size:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1));
            }
        }
        throw new AssertionError("the test Redis runs without AOF: " + info);
    }

    long pttl() {
        return await(redis.send(Request.cmd(Command.PTTL).arg(Keys.mailbox(0).lease()))).toLong();
    }

    @Test
    void emptyClaimsOfAFreshLeaseWriteNothingAndALeaseRunningDownIsRenewed() throws Exception {
        ReliableQueue q = new ReliableQueue(redis, Keys.mailbox(0), "idle", Duration.ofMillis(900));
        assertTrue(await(q.acquire()).held());
        long before = aofBytes();
        for (int i = 0; i < 200; i++) {
            assertEquals(List.of(), await(q.claim(100)));
        }
        assertEquals(before, aofBytes(), "200 empty claims appended nothing to the AOF");

        Thread.sleep(400);
        assertTrue(pttl() < 600, "a third of the lease ran down: " + pttl());
        assertEquals(List.of(), await(q.claim(100)));
        assertTrue(pttl() > 800, "the claim renewed it: " + pttl());
        assertTrue(aofBytes() > before, "with one write");
    }
}

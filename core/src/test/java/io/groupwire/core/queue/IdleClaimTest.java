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

    /**
     * Calls of the write commands a claim may make, scripts' calls included: a script that calls none
     * propagates nothing to the AOF (the AOF's own size is no measure here: a rewrite may shrink it
     * at any time).
     */
    long writeCalls() {
        String info = await(redis.send(Request.cmd(Command.INFO).arg("commandstats"))).toString();
        long calls = 0;
        for (String line : info.split("\r\n")) {
            for (String command : new String[] {"cmdstat_pexpire:", "cmdstat_rpop:", "cmdstat_rpush:"}) {
                if (line.startsWith(command)) {
                    String field = line.substring(line.indexOf("calls=") + 6);
                    calls += Long.parseLong(field.substring(0, field.indexOf(',')));
                }
            }
        }
        return calls;
    }

    long pttl() {
        return await(redis.send(Request.cmd(Command.PTTL).arg(Keys.mailbox(0).lease()))).toLong();
    }

    @Test
    void emptyClaimsOfAFreshLeaseWriteNothingAndALeaseRunningDownIsRenewed() throws Exception {
        ReliableQueue q = new ReliableQueue(redis, Keys.mailbox(0), "idle", Duration.ofMillis(900));
        assertTrue(await(q.acquire()).held());
        long before = writeCalls();
        for (int i = 0; i < 200; i++) {
            assertEquals(List.of(), await(q.claim(100)));
        }
        assertEquals(before, writeCalls(), "200 empty claims called no write command");

        Thread.sleep(400);
        assertTrue(pttl() < 600, "a third of the lease ran down: " + pttl());
        assertEquals(List.of(), await(q.claim(100)));
        assertTrue(pttl() > 800, "the claim renewed it: " + pttl());
        assertEquals(before + 1, writeCalls(), "with one write");
    }
}

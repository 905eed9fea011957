package io.groupwire.pacer;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.config.OwnContext;
import io.groupwire.core.message.Channel;
import io.groupwire.core.testing.RedisTestBase;
import io.groupwire.core.testing.TestRedis;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One channel's tokens against the shared Redis bucket: never more than the bucket holds, pooled requests, refill. */
class TokenGateTest extends RedisTestBase {
    private RedisBuckets buckets;
    private OwnContext context;

    @BeforeEach
    void setUp() {
        buckets = new RedisBuckets(TestRedis.settings(4));
        context = await(OwnContext.create(vertx));
    }

    @AfterEach
    void tearDown() {
        buckets.close();
    }

    private TokenGate gate(long perSecond, long burst) {
        return new TokenGate(buckets.bucket(Channel.SMS, new ChannelLimit(perSecond, burst, 10)), context.context());
    }

    @Test
    void grantsWhatTheBucketHoldsThenNothingUntilItRefills() throws Exception {
        TokenGate gate = gate(10, 5);
        assertEquals(3L, await(gate.take(3)));
        assertEquals(2L, await(gate.take(10)), "only what is left of the burst");
        assertEquals(0L, await(gate.take(1)), "an empty bucket pauses the channel");
        // ten a second: a token every 100 ms
        Thread.sleep(350);
        long refilled = await(gate.take(10));
        assertTrue(refilled >= 2 && refilled <= 5, "after 350 ms: " + refilled);
    }

    @Test
    void requestsMadeTogetherShareOneGrantAndNeverExceedTheBucket() {
        TokenGate gate = gate(1, 10);
        List<Future<Long>> asks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            asks.add(gate.take(3));
        }
        long granted = 0;
        for (Future<Long> f : asks) {
            long got = await(f);
            assertTrue(got >= 0 && got <= 3);
            granted += got;
        }
        assertEquals(10, granted, "all of the burst, and no more, went to the eight requests");
    }

    @Test
    void tokensGivenBackCanBeTakenAgain() throws Exception {
        TokenGate gate = gate(1, 4);
        assertEquals(4L, await(gate.take(4)));
        assertEquals(0L, await(gate.take(1)));
        gate.giveBack(3);
        // the give-back is not awaited by its caller; let it land (a refill adds at most one token meanwhile)
        Thread.sleep(200);
        long again = await(gate.take(5));
        assertTrue(again == 3 || again == 4, "took " + again + " after giving 3 back");
    }

    @Test
    void twoGatesOnOneChannelDrawFromOneBucket() {
        TokenGate first = gate(1, 6);
        TokenGate second = gate(1, 6);
        long a = await(first.take(4));
        long b = await(second.take(4));
        assertEquals(6, a + b, "two instances together got " + (a + b) + " of a burst of 6");
    }
}

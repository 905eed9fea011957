package io.groupwire.pacer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(2), 5);

    @Test
    void eachDelayIsJitteredWithinTheDoublingCeiling() {
        for (int attempt = 0; attempt < 5; attempt++) {
            long ceiling = 100L << attempt;
            long lowest = Long.MAX_VALUE;
            long highest = 0;
            for (int i = 0; i < 2_000; i++) {
                long d = policy.delayMillis(attempt, Duration.ZERO);
                assertTrue(d >= 0 && d <= ceiling, "attempt " + attempt + ": " + d + " ms, ceiling " + ceiling);
                lowest = Math.min(lowest, d);
                highest = Math.max(highest, d);
            }
            // full jitter: the delays spread over the whole range, not bunched at the ceiling
            assertTrue(lowest < ceiling / 4, "attempt " + attempt + " never drew low: " + lowest);
            assertTrue(highest > ceiling * 3 / 4, "attempt " + attempt + " never drew high: " + highest);
        }
    }

    @Test
    void theCeilingStopsAtTheMaximumHoweverManyAttempts() {
        for (int attempt : new int[] {5, 10, 20, 40, 1_000}) {
            for (int i = 0; i < 500; i++) {
                long d = policy.delayMillis(attempt, Duration.ZERO);
                assertTrue(d >= 0 && d <= 2_000, "attempt " + attempt + ": " + d + " ms");
            }
        }
    }

    @Test
    void neverEarlierThanTheProvidersRetryAfter() {
        for (int i = 0; i < 500; i++) {
            assertTrue(policy.delayMillis(0, Duration.ofSeconds(30)) >= 30_000);
        }
        // a Retry-After beyond the policy's maximum wins over it
        assertEquals(60_000, policy.delayMillis(3, Duration.ofMinutes(1)));
    }

    @Test
    void aDeliveryIsPoisonAfterTheMaximumAttempts() {
        assertFalse(policy.exhausted(4));
        assertTrue(policy.exhausted(5));
        assertTrue(policy.exhausted(6));
    }
}

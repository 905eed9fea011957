package io.groupwire.pacer;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to try a delivery again: capped exponential back-off with full jitter (what FCM asks of its
 * clients, to avoid retry storms), never earlier than the provider's Retry-After.
 */
final class RetryPolicy {
    private final long baseMillis;
    private final long maxMillis;
    private final int maxAttempts;

    RetryPolicy(Duration base, Duration max, int maxAttempts) {
        this.baseMillis = base.toMillis();
        this.maxMillis = max.toMillis();
        this.maxAttempts = maxAttempts;
    }

    /** Delay before attempt {@code attempt + 1}, at least {@code providerDelay}. */
    long delayMillis(int attempt, Duration providerDelay) {
        long ceiling = Math.min(maxMillis, baseMillis << Math.min(attempt, 20));
        long jittered = ThreadLocalRandom.current().nextLong(Math.max(1, ceiling) + 1);
        return Math.max(providerDelay.toMillis(), jittered);
    }

    /** Whether a delivery that has had {@code attempts} attempts is poison. */
    boolean exhausted(int attempts) {
        return attempts >= maxAttempts;
    }
}

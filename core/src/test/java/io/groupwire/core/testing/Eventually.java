package io.groupwire.core.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits in a test for something that happens asynchronously, failing after a deadline. */
public final class Eventually {
    private Eventually() {
    }

    /** Polls {@code condition} every 10 ms; fails the test when it is still false after {@code within}. */
    public static void eventually(Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in " + within.toSeconds() + " s");
            }
            Thread.sleep(10);
        }
    }

    /** {@link #eventually(Duration, BooleanSupplier)} within ten seconds. */
    public static void eventually(BooleanSupplier condition) throws InterruptedException {
        eventually(Duration.ofSeconds(10), condition);
    }
}

package io.groupwire.core.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * What one round of a {@link QueueLoop} found, and so when the next round runs: at once after
 * work, after a growing pause while idle, or after a stated wait (a rate limit, a provider's pause).
 */
public sealed interface Round permits Round.Continue, Round.Idle, Round.WaitFor {

    /** Nothing to do: the next round waits a little longer each time, up to the loop's idle poll. */
    Round IDLE = new Idle();

    /** {@code handled} entries were processed: more may be waiting, the next round runs at once. */
    record Continue(int handled) implements Round {
        public Continue {
            if (handled < 1) {
                throw new IllegalArgumentException("a round that handled nothing is idle");
            }
        }
    }

    /** There was nothing to do. */
    record Idle() implements Round {
    }

    /** There is work, but it may not be done yet: the next round runs after {@code delay}. */
    record WaitFor(Duration delay) implements Round {
        public WaitFor {
            Objects.requireNonNull(delay);
            if (delay.isNegative()) {
                throw new IllegalArgumentException("negative wait " + delay);
            }
        }
    }

    /** {@link Continue} when {@code handled} is above 0, else {@link #IDLE}. */
    static Round handled(int handled) {
        return handled > 0 ? new Continue(handled) : IDLE;
    }

    static Round waitFor(long millis) {
        return new WaitFor(Duration.ofMillis(millis));
    }
}

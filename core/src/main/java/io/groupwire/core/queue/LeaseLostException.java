package io.groupwire.core.queue;

/**
 * Raised when a worker acts on a queue whose lease it no longer holds (it paused past the lease
 * and another worker took over). The worker must drop what it claimed: the new owner has it.
 */
public final class LeaseLostException extends RuntimeException {
    public LeaseLostException(String queue) {
        super("lease lost on " + queue);
    }
}

package io.groupwire.core.queue;

/**
 * The answer to a lease request.
 *
 * @param held      whether the caller holds the lease now
 * @param recovered entries a previous owner left in flight that went back to the queue's head
 */
public record LeaseState(boolean held, int recovered) {
}

package io.groupwire.core.intake;

/**
 * A message reached the Redis primary but not as many replicas as the deployment requires, within
 * the wait. It is not acknowledged to the client; the client's retry (same source_guid) is safe.
 */
public final class NotReplicatedException extends RuntimeException {
    public NotReplicatedException(int acknowledged, int required) {
        super("stored on the primary but acknowledged by " + acknowledged + " of " + required + " replicas");
    }
}

package io.groupwire.core.redis;

/**
 * A write reached the Redis primary but not as many replicas as the deployment requires, within
 * the wait, so the caller must not act on it yet: the gateway does not acknowledge the message
 * (the client's retry with the same source_guid is safe), the pacer does not call the provider.
 */
public final class NotReplicatedException extends RuntimeException {
    public NotReplicatedException(int acknowledged, int required) {
        super("stored on the primary but acknowledged by " + acknowledged + " of " + required + " replicas");
    }

    private NotReplicatedException(String message) {
        super(message);
    }

    /** The node answered as a replica (a failover demoted it): nothing can be known replicated. */
    public static NotReplicatedException onReplica() {
        return new NotReplicatedException("the node is a replica now (demoted by a failover): not known to be replicated");
    }
}

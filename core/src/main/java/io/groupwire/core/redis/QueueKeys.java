package io.groupwire.core.redis;

/**
 * The three keys of one reliable queue, all in one slot: the FIFO list producers push to, the
 * in-flight list holding what the owner claimed and has not acknowledged, and the owner's lease.
 */
public record QueueKeys(String queue, String inflight, String lease) {
    public static QueueKeys of(String queue) {
        return new QueueKeys(queue, queue + ":inflight", queue + ":lease");
    }
}

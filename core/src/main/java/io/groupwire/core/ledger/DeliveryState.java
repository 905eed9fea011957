package io.groupwire.core.ledger;

/**
 * The states a delivery goes through in its message's ledger. {@code queued} is written by the
 * transport, {@code sending} (with owner and time) before each provider call, the rest after.
 */
public enum DeliveryState {
    /** Written to an outbox, never attempted. */
    QUEUED,
    /** Waiting in the retry set for its next attempt. */
    RETRY,
    /** The provider accepted it. */
    SENT,
    /** The provider refused it for good. */
    FAILED,
    /** The destination is gone; the device or phone was unregistered. */
    DEAD,
    /** Older than the TTL before it could be sent. */
    EXPIRED,
    /** Found mid-send after a crash on a channel whose policy is not to resend (SMS). */
    AMBIGUOUS,
    /** Failed too often; in the dead-letter list for an operator. */
    DEAD_LETTER;

    public String value() {
        return name().toLowerCase();
    }
}

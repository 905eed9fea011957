package io.groupwire.core.intake;

import io.groupwire.core.message.Message;

/**
 * What became of an attempt to accept a message.
 *
 * @param status  the decision
 * @param message the accepted message; for a duplicate, the first one accepted with that source_guid;
 *                null for the refusals
 */
public record IntakeResult(Status status, Message message) {

    /** The decisions the enqueue script can take. */
    public enum Status {
        /** Stored in the mailbox. */
        ACCEPTED,
        /** The same sender already sent this source_guid to this group with this text; nothing was enqueued. */
        DUPLICATE,
        /**
         * The same sender already used this source_guid for another group or another text; nothing
         * was enqueued (as a payment API treats an idempotency key reused with other parameters).
         */
        CONFLICT,
        /** No such group. */
        NO_GROUP,
        /** The sender is not a member of the group. */
        NOT_MEMBER,
        /** The mailbox is over its high-water mark; try again later. */
        FULL
    }
}

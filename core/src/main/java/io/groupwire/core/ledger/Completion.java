package io.groupwire.core.ledger;

/**
 * The settled result of one claimed delivery, for {@link DeliveryLedger#complete}.
 *
 * @param raw          the claimed outbox entry, to acknowledge
 * @param messageId    the message whose ledger records it
 * @param deliveryId   the delivery's id in that ledger
 * @param state        the new state, or null to leave the ledger as it is (a duplicate already settled)
 * @param retryAtMillis when to try again, 0 for never
 * @param retryEntry   the entry to queue again at that time (the delivery with its attempt raised)
 * @param maybeSent    the attempt may have reached the provider (a timeout after the request was
 *                     written): the retry is a resend, and the ledger remembers it as ambiguous
 */
public record Completion(String raw, String messageId, String deliveryId, DeliveryState state, long retryAtMillis,
                         String retryEntry, boolean maybeSent) {
    public static Completion settled(String raw, String messageId, String deliveryId, DeliveryState state) {
        return new Completion(raw, messageId, deliveryId, state, 0, "", false);
    }

    /** Acknowledges the claim and leaves the ledger alone. */
    public static Completion ackOnly(String raw, String messageId, String deliveryId) {
        return new Completion(raw, messageId, deliveryId, null, 0, "", false);
    }

    public static Completion retry(String raw, String messageId, String deliveryId, long at, String entry,
                                   boolean maybeSent) {
        return new Completion(raw, messageId, deliveryId, DeliveryState.RETRY, at, entry, maybeSent);
    }
}

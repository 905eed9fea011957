package io.groupwire.sandbox;

/**
 * One delivery a sandbox provider accepted: the evidence that tests and operators read at
 * {@code GET /sandbox/received} to check what arrived, and how often.
 *
 * @param channel          apns, fcm or sms
 * @param address          device token or phone number
 * @param messageId        the Groupwire message id the payload carried, null if it carried none
 * @param payload          the payload or SMS body as the provider received it
 * @param receivedAtMillis when the sandbox accepted it
 * @param from             the SMS's sender number (its reply number); null for push
 */
public record ReceivedDelivery(String channel, String address, String messageId, String payload,
                               long receivedAtMillis, String from) {
    /** A delivery without a sender number (push). */
    public ReceivedDelivery(String channel, String address, String messageId, String payload, long receivedAtMillis) {
        this(channel, address, messageId, payload, receivedAtMillis, null);
    }
}

package io.groupwire.core.message;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;

/**
 * One message on its way to one recipient over one channel: what the transport writes into an
 * outbox and what a provider adapter sends. Immutable; {@link #withAttempt} makes the retry copy.
 *
 * @param id               stable delivery id, {@link #idFor}; the ledger's key for this delivery
 * @param messageId        the Groupwire message it carries
 * @param groupId          the group, used as collapse/thread id by push providers
 * @param groupName        shown as the notification title
 * @param senderId         who sent it
 * @param senderName       shown before the text
 * @param recipientId      the user it is for
 * @param deviceId         the device registration it targets (push only; null for SMS)
 * @param channel          APNs, FCM or SMS
 * @param address          device token or E.164 phone number
 * @param text             the message text
 * @param acceptedAtMillis when the gateway accepted the message (the TTL and latency origin)
 * @param attempt          0 for the first try, then counts retries
 * @param fromAddress      the sender number an SMS goes out from (the member's reply number for the
 *                         group); null for push, or for the provider's configured sender
 */
public record Delivery(String id, String messageId, String groupId, String groupName, String senderId,
                       String senderName, String recipientId, String deviceId, Channel channel,
                       String address, String text, long acceptedAtMillis, int attempt, String fromAddress) {
    public Delivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(address, "address");
    }

    /** The same delivery, for its next attempt. */
    public Delivery withAttempt(int next) {
        return new Delivery(id, messageId, groupId, groupName, senderId, senderName, recipientId, deviceId,
                channel, address, text, acceptedAtMillis, next, fromAddress);
    }

    /** The same delivery, sent from {@code from} (an SMS's reply number). */
    public Delivery withFrom(String from) {
        return new Delivery(id, messageId, groupId, groupName, senderId, senderName, recipientId, deviceId,
                channel, address, text, acceptedAtMillis, attempt, from);
    }

    /** Starts a delivery whose fields are named as they are set; see {@link Builder#build} for what is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Delivery} field by field; fields not set are null, or 0 for the time and the attempt. */
    public static final class Builder {
        private String id;
        private String messageId;
        private String groupId;
        private String groupName;
        private String senderId;
        private String senderName;
        private String recipientId;
        private String deviceId;
        private Channel channel;
        private String address;
        private String text;
        private long acceptedAtMillis;
        private int attempt;
        private String fromAddress;

        private Builder() {
        }

        /** The delivery's id; by default {@link #idFor} its message, channel and address. */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder messageId(String messageId) {
            this.messageId = messageId;
            return this;
        }

        public Builder groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        public Builder groupName(String groupName) {
            this.groupName = groupName;
            return this;
        }

        public Builder senderId(String senderId) {
            this.senderId = senderId;
            return this;
        }

        public Builder senderName(String senderName) {
            this.senderName = senderName;
            return this;
        }

        public Builder recipientId(String recipientId) {
            this.recipientId = recipientId;
            return this;
        }

        public Builder deviceId(String deviceId) {
            this.deviceId = deviceId;
            return this;
        }

        public Builder channel(Channel channel) {
            this.channel = channel;
            return this;
        }

        public Builder address(String address) {
            this.address = address;
            return this;
        }

        public Builder text(String text) {
            this.text = text;
            return this;
        }

        public Builder acceptedAtMillis(long acceptedAtMillis) {
            this.acceptedAtMillis = acceptedAtMillis;
            return this;
        }

        public Builder attempt(int attempt) {
            this.attempt = attempt;
            return this;
        }

        public Builder fromAddress(String fromAddress) {
            this.fromAddress = fromAddress;
            return this;
        }

        /** The delivery; its message id, channel and address are required. */
        public Delivery build() {
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(address, "address");
            return new Delivery(id != null ? id : idFor(messageId, channel, address), messageId, groupId, groupName,
                    senderId, senderName, recipientId, deviceId, channel, address, text, acceptedAtMillis, attempt, fromAddress);
        }
    }

    /**
     * The stable id of the delivery of a message to an address over a channel. The same inputs
     * always give the same id, which is what lets the ledger refuse a second delivery.
     */
    public static String idFor(String messageId, Channel channel, String address) {
        byte[] digest = SHA256.get().digest((messageId + '|' + channel.id() + '|' + address).getBytes(StandardCharsets.UTF_8));
        return ID_ENCODER.encodeToString(digest).substring(0, 22);
    }

    /** Looking the algorithm up per delivery cost the transport as much as hashing; digest() resets it for reuse. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    });
    private static final Base64.Encoder ID_ENCODER = Base64.getUrlEncoder().withoutPadding();

    /** The text a recipient sees: sender's name, then the message. */
    public String displayText() {
        return senderName == null || senderName.isEmpty() ? text : senderName + ": " + text;
    }
}

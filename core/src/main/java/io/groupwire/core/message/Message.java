package io.groupwire.core.message;

import java.util.Objects;

/**
 * A message accepted into a group's mailbox. Immutable; its JSON form is what the mailbox holds
 * and what the gateway answers (with {@code accepted_at} rendered for humans there).
 *
 * @param id               Groupwire's id for the message
 * @param groupId          the group it was posted to
 * @param senderId         the posting member
 * @param sourceGuid       the client's idempotency key
 * @param text             1..1000 characters
 * @param acceptedAtMillis when Redis stored it, epoch milliseconds; the start of every latency
 */
public record Message(String id, String groupId, String senderId, String sourceGuid, String text,
                      long acceptedAtMillis) {
    public Message {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(senderId, "senderId");
    }

    /** Age at {@code nowMillis}. */
    public long ageMillis(long nowMillis) {
        return nowMillis - acceptedAtMillis;
    }
}

package io.groupwire.core.directory;

/**
 * A Groupwire user as stored in {@code gw:user:{uid}}.
 *
 * @param id              Groupwire's id
 * @param name            display name, shown as the sender of messages
 * @param phone           E.164 phone number, or null; used for SMS when the user has no device
 * @param createdAtMillis creation time, epoch milliseconds
 */
public record User(String id, String name, String phone, long createdAtMillis) {
}

package io.groupwire.core.history;

import io.groupwire.core.message.Message;

/**
 * A message as a group's history keeps it, with its like count as the counters consumer last
 * wrote it (the count follows the likes by the consumer's lag).
 */
public record KeptMessage(Message message, long likes) {
}

package io.groupwire.core.intake;

import io.groupwire.core.message.Message;

/**
 * A message offered to the enqueue script, with its {@link GuidUse}.
 *
 * @param message the message, with its new id and acceptance time
 * @param use     what its source_guid is used for: its group and a digest of its text
 */
record Offer(Message message, String use) {
}

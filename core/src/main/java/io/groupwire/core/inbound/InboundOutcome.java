package io.groupwire.core.inbound;

import io.groupwire.core.message.Message;

/**
 * What became of an inbound text.
 *
 * @param kind    accepted into the group, a keyword handled, refused, or the platform is busy
 * @param reason  for REFUSED: unknown_number (not a pool number), unknown_phone, not_member,
 *                empty_text, text_too_long, control_characters, guid_conflict; for KEYWORD the keyword
 * @param reply   the text to send back to the phone, or null
 * @param message the group message for ACCEPTED (the first one when the source_guid was seen before)
 */
public record InboundOutcome(Kind kind, String reason, String reply, Message message) {
    /** The outcomes a protocol answers differently. */
    public enum Kind {
        ACCEPTED, KEYWORD, REFUSED, BUSY
    }

    static InboundOutcome refused(String reason) {
        return new InboundOutcome(Kind.REFUSED, reason, null, null);
    }

    static InboundOutcome keyword(String keyword, String reply) {
        return new InboundOutcome(Kind.KEYWORD, keyword, reply, null);
    }
}

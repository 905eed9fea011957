package io.groupwire.core.sms;

import java.util.List;
import java.util.Objects;

/**
 * A text as it will travel by SMS: the encoding chosen for it and the parts it is split into.
 * Concatenating {@link #texts()} gives back the original text; an empty text is one empty segment
 * (an SMS without text is still one SMS to pay and pace for).
 *
 * @param encoding GSM-7 when every character is in the GSM 03.38 alphabet, else UCS-2
 * @param length   the text's length in the encoding's units: septets (extension characters count
 *                 2) for GSM-7, UTF-16 code units for UCS-2
 * @param texts    the parts' texts, in order; never empty
 */
public record SmsSegments(SmsEncoding encoding, int length, List<String> texts) {
    public SmsSegments {
        Objects.requireNonNull(encoding, "encoding");
        texts = List.copyOf(texts);
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("an SMS has at least one segment");
        }
    }

    /** How many SMS the text costs: what carriers bill and what rate limits count. */
    public int count() {
        return texts.size();
    }
}

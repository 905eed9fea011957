package io.groupwire.core.sms;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides how a text travels by SMS and how many segments it takes. GSM-7 when every character is
 * in the GSM 03.38 alphabet (extension characters count two septets), else UCS-2. Splitting never
 * separates an escape pair (GSM-7) or a surrogate pair (UCS-2): such a pair moves whole to the
 * next part, which is why the count is not simply a division.
 *
 * <p>{@link #segments} is the pacer's token cost of an SMS: one pass over the text, no allocation.
 * Thread-safe and stateless.
 */
public final class SmsEncoder {
    private static final SmsEncoder STANDARD = new SmsEncoder(SegmentLimits.STANDARD);

    private final SegmentLimits limits;

    public SmsEncoder(SegmentLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** The encoder with the usual 160/153 and 70/67 limits. */
    public static SmsEncoder standard() {
        return STANDARD;
    }

    public SegmentLimits limits() {
        return limits;
    }

    /** GSM-7 when GSM-7 can carry every character of the text, else UCS-2. */
    public SmsEncoding encodingOf(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            if (!Gsm7Alphabet.contains(text.charAt(i))) {
                return SmsEncoding.UCS_2;
            }
        }
        return SmsEncoding.GSM_7;
    }

    /** How many segments the text takes (at least 1). Cheap: one pass, no allocation. */
    public int segments(String text) {
        int n = text.length();
        // Count both ways at once so that a late non-GSM character costs no second pass.
        int septets = 0;
        int gsmParts = 1;
        int gsmFill = 0;
        boolean gsm = true;
        int units = 0;
        int ucsParts = 1;
        int ucsFill = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (gsm) {
                int cost = Gsm7Alphabet.septets(c);
                if (cost == 0) {
                    gsm = false;
                } else {
                    septets += cost;
                    if (gsmFill + cost > limits.gsmPart()) {
                        gsmParts++;
                        gsmFill = 0;
                    }
                    gsmFill += cost;
                }
            }
            int width = isPairStart(text, i) ? 2 : 1;
            units += width;
            if (ucsFill + width > limits.ucs2Part()) {
                ucsParts++;
                ucsFill = 0;
            }
            ucsFill += width;
            i += width - 1;
        }
        if (gsm) {
            return septets <= limits.gsmSingle() ? 1 : gsmParts;
        }
        return units <= limits.ucs2Single() ? 1 : ucsParts;
    }

    /** The encoding, length and parts' texts of the text. */
    public SmsSegments split(String text) {
        SmsEncoding encoding = encodingOf(text);
        return encoding == SmsEncoding.GSM_7 ? splitGsm(text) : splitUcs2(text);
    }

    private SmsSegments splitGsm(String text) {
        int n = text.length();
        int septets = 0;
        for (int i = 0; i < n; i++) {
            septets += Gsm7Alphabet.septets(text.charAt(i));
        }
        if (septets <= limits.gsmSingle()) {
            return new SmsSegments(SmsEncoding.GSM_7, septets, List.of(text));
        }
        List<String> parts = new ArrayList<>(septets / limits.gsmPart() + 2);
        int start = 0;
        int fill = 0;
        for (int i = 0; i < n; i++) {
            int cost = Gsm7Alphabet.septets(text.charAt(i));
            if (fill + cost > limits.gsmPart()) {
                parts.add(text.substring(start, i));
                start = i;
                fill = 0;
            }
            fill += cost;
        }
        parts.add(text.substring(start));
        return new SmsSegments(SmsEncoding.GSM_7, septets, parts);
    }

    private SmsSegments splitUcs2(String text) {
        int n = text.length();
        if (n <= limits.ucs2Single()) {
            return new SmsSegments(SmsEncoding.UCS_2, n, List.of(text));
        }
        List<String> parts = new ArrayList<>(n / limits.ucs2Part() + 2);
        int start = 0;
        int fill = 0;
        for (int i = 0; i < n; i++) {
            int width = isPairStart(text, i) ? 2 : 1;
            if (fill + width > limits.ucs2Part()) {
                parts.add(text.substring(start, i));
                start = i;
                fill = 0;
            }
            fill += width;
            i += width - 1;
        }
        parts.add(text.substring(start));
        return new SmsSegments(SmsEncoding.UCS_2, n, parts);
    }

    /** A high surrogate followed by a low one: two units that must stay in the same part. */
    private static boolean isPairStart(String text, int i) {
        return Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1));
    }
}

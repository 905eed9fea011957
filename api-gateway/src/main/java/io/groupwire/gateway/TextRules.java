package io.groupwire.gateway;

/**
 * Rules for human text the API accepts, beyond what the OpenAPI schema can say. Lengths are
 * counted in Unicode code points, which is what a person counts as characters (an emoji is one,
 * though Java stores it as two chars). Control characters are refused (they break SMS encoding,
 * terminals and logs), and so are unpaired surrogates (they cannot be encoded as UTF-8 and would
 * reach recipients as '?').
 */
final class TextRules {
    static final int MAX_MESSAGE_CODE_POINTS = 1000;
    static final int MAX_NAME_CODE_POINTS = 100;
    static final int MAX_GUID_CODE_POINTS = 128;

    private TextRules() {
    }

    /** What is wrong with a message text, or null. Line breaks and tabs are allowed. */
    static String messageProblem(String text) {
        return problem("text", text, MAX_MESSAGE_CODE_POINTS, true);
    }

    /** What is wrong with a display name (already stripped of surrounding blanks), or null. */
    static String nameProblem(String field, String name) {
        return problem(field, name, MAX_NAME_CODE_POINTS, false);
    }

    /** What is wrong with a source_guid, or null. */
    static String guidProblem(String guid) {
        return problem("source_guid", guid, MAX_GUID_CODE_POINTS, false);
    }

    private static String problem(String field, String value, int max, boolean multiline) {
        int length = codePoints(value);
        if (length < 1 || length > max) {
            return "'" + field + "' must have 1 to " + max + " characters, had " + length;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isControl(c, multiline)) {
                return "'" + field + "' must not contain control characters (found U+" + String.format("%04X", (int) c) + ")";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "'" + field + "' contains an unpaired surrogate (not a Unicode character)";
            }
        }
        return null;
    }

    private static boolean isControl(char c, boolean multiline) {
        if (multiline && (c == '\t' || c == '\n' || c == '\r')) {
            return false;
        }
        return c < 0x20 || (c >= 0x7f && c < 0xa0) || (!multiline && (c == '\u2028' || c == '\u2029'));
    }

    /** Length in Unicode code points. */
    static int codePoints(String s) {
        return s.codePointCount(0, s.length());
    }
}

package io.groupwire.gateway;

/** Rules for human text the API accepts, beyond what the OpenAPI schema can say. */
final class TextRules {
    static final int MAX_MESSAGE_CODE_POINTS = 1000;

    private TextRules() {
    }

    /** Control characters other than tab, line feed and carriage return (they break SMS and logs). */
    static boolean hasControlCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** Length in Unicode code points: what a person counts as characters (an emoji is one). */
    static int codePoints(String s) {
        return s.codePointCount(0, s.length());
    }
}

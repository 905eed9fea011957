package io.groupwire.core.sms;

/**
 * The GSM 03.38 default alphabet and its extension table, as Unicode characters: which characters
 * GSM-7 can carry and how many septets each costs (1 for the default alphabet, 2 for the
 * extension table's characters, which travel as ESC + code).
 *
 * <p>ESC (0x1B) itself is not a character a text can contain: it only introduces an extension
 * character, so U+001B is treated as outside the alphabet.
 */
public final class Gsm7Alphabet {
    /** The default alphabet, indexed by GSM code point 0x00-0x7F; 0x1B (ESC) is a placeholder. */
    private static final String BASIC =
            "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
                    + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    /** The extension table's characters (form feed, ^ { } \ [ ~ ] | and the euro sign). */
    private static final String EXTENSION = "\f^{}\\[~]|€";

    /** Septet cost by UTF-16 code unit, 0 when outside the alphabet; covers U+0000..U+03FF. */
    private static final byte[] COST = new byte[0x400];
    private static final char EURO = '€';

    static {
        if (BASIC.length() != 128) {
            throw new ExceptionInInitializerError("the GSM 03.38 default alphabet has 128 positions");
        }
        for (int i = 0; i < BASIC.length(); i++) {
            char c = BASIC.charAt(i);
            if (c != '\u001B') {
                COST[c] = 1;
            }
        }
        for (int i = 0; i < EXTENSION.length(); i++) {
            char c = EXTENSION.charAt(i);
            if (c < COST.length) {
                COST[c] = 2;
            }
        }
    }

    private Gsm7Alphabet() {
    }

    /**
     * How many septets a UTF-16 code unit costs in GSM-7: 1 or 2, or 0 when GSM-7 cannot carry it
     * (surrogates included, so any character outside the Basic Multilingual Plane gives 0).
     */
    public static int septets(char c) {
        if (c < COST.length) {
            return COST[c];
        }
        return c == EURO ? 2 : 0;
    }

    /** Whether GSM-7 can carry the character. */
    public static boolean contains(char c) {
        return septets(c) != 0;
    }

    /** Whether the character is in the extension table (costs an escape septet too). */
    public static boolean isExtension(char c) {
        return septets(c) == 2;
    }
}

package io.groupwire.core.directory;

import java.security.SecureRandom;
import java.util.Base64;

/** Random, URL-safe ids and tokens. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /** {@code prefix} and 16 URL-safe characters (96 random bits). */
    public static String newId(String prefix) {
        return prefix + random(12);
    }

    /** An API token: 256 random bits. */
    public static String newToken() {
        return random(32);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}

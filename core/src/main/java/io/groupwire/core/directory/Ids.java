package io.groupwire.core.directory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Ids and tokens of the directory: short, random, URL-safe (they appear in URLs and in Redis keys,
 * so they never contain {@code /}, {@code :} or braces).
 */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private Ids() {
    }

    /** {@code prefix} and 16 URL-safe characters (96 random bits). */
    public static String newId(String prefix) {
        return prefix + random(12);
    }

    /** An API token: 32 random bytes, base64url without padding (43 characters). */
    public static String newToken() {
        return random(32);
    }

    /**
     * The id of a user's registration of a device token. Derived from the registration rather than
     * random, so that registering the same platform and token twice names the same field of the
     * user's devices hash and can be made idempotent with one HSETNX. It is a hash: it does not
     * reveal the token.
     */
    public static String deviceId(String userId, String platform, String token) {
        byte[] digest = sha256(userId + '\n' + platform + '\n' + token);
        return "d_" + URL_SAFE.encodeToString(Arrays.copyOf(digest, 12));
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return URL_SAFE.encodeToString(b);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

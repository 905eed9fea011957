package io.groupwire.push;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The collapse id of a message's notifications: the message id itself, so that a resend after an
 * ambiguous attempt replaces the first notification on the device instead of adding a second.
 * APNs refuses collapse ids over 64 bytes, so a longer message id is replaced by its SHA-256 in
 * hex (exactly 64 characters), which is just as stable.
 */
public final class CollapseId {
    /** APNs' limit on {@code apns-collapse-id}, in UTF-8 bytes. */
    public static final int MAX_BYTES = 64;

    private CollapseId() {
    }

    public static String forMessage(String messageId) {
        byte[] utf8 = messageId.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_BYTES) {
            return messageId;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(utf8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

package io.groupwire.core.intake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a source_guid was used for: the group and a digest of the text ({@code groupId:digest}), the
 * part of a send that a retry must repeat. Two sends with the same sender and source_guid are the
 * same send when their uses are equal; otherwise the second is a conflict. The digest is 64 bits of
 * SHA-256: two different texts pass for one only by a collision no sender will ever meet.
 */
final class GuidUse {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
    private static final int DIGEST_BYTES = 8;

    private GuidUse() {
    }

    static String of(String groupId, String text) {
        byte[] digest = SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8));
        return groupId + ':' + HexFormat.of().formatHex(digest, 0, DIGEST_BYTES);
    }

    /** The group of a use, or of a record from before digests (which holds the group alone). */
    static String group(String use) {
        int colon = use.indexOf(':');
        return colon < 0 ? use : use.substring(0, colon);
    }
}

package io.groupwire.core.message;

import java.util.Locale;

/** A way a delivery reaches a recipient: one provider each. Its index orders outbox keys in scripts. */
public enum Channel {
    APNS, FCM, SMS;

    /** The lower-case name used in keys, metrics labels and JSON. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a resend after an ambiguous attempt is harmless because the provider collapses it. */
    public boolean collapsesDuplicates() {
        return this != SMS;
    }

    public static Channel fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}

package io.groupwire.gateway;

import java.util.regex.Pattern;

/**
 * Exact formats of the stored identifiers the API accepts. The OpenAPI document states the same
 * patterns, but its validator runs them with Java's {@code $}, which also matches before a final
 * line break; these are matched against the whole value, so {@code "+15551234567\n"} is refused
 * instead of stored.
 */
final class Formats {
    /** E.164: a plus, then 8 to 15 digits, the first not zero. */
    static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{7,14}");
    /** A provider's device token: APNs hex or an FCM registration token. */
    static final Pattern DEVICE_TOKEN = Pattern.compile("[A-Za-z0-9:_.-]{1,512}");

    private Formats() {
    }

    static boolean isE164(String phone) {
        return E164.matcher(phone).matches();
    }

    static boolean isDeviceToken(String token) {
        return DEVICE_TOKEN.matcher(token).matches();
    }
}

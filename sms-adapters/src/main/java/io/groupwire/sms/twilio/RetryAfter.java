package io.groupwire.sms.twilio;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads an HTTP {@code Retry-After} header (delay-seconds or an HTTP-date) into a bounded delay.
 * A provider's answer is not trusted blindly: garbage reads as absent, and a delay is capped so
 * that one odd header cannot stall a channel for days.
 */
final class RetryAfter {
    /** The longest wait a header can impose. */
    static final Duration MAX = Duration.ofHours(1);

    private RetryAfter() {
    }

    /** The delay the header asks for, capped at {@link #MAX}; null when absent or unreadable. */
    static Duration parse(String header, Clock clock) {
        if (header == null) {
            return null;
        }
        String v = header.trim();
        if (v.isEmpty() || v.length() > 64) {
            return null;
        }
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // more than 10 digits is beyond any cap; avoid overflow rather than parse it
            return v.length() > 10 ? MAX : cap(Duration.ofSeconds(Long.parseLong(v)));
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(clock.instant(), at.toInstant());
            return d.isNegative() ? Duration.ZERO : cap(d);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Duration cap(Duration d) {
        return d.compareTo(MAX) > 0 ? MAX : d;
    }
}

package io.groupwire.push;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads a provider's {@code Retry-After} header: delay seconds or an HTTP date. Anything else
 * (negative, garbage, absurdly long) is ignored rather than trusted, and delays are capped at
 * {@link #MAX}, so a hostile or broken provider cannot stall a channel for days.
 */
public final class RetryAfter {
    /** Longer than any message lives (the TTL is two hours), so nothing is gained by waiting longer. */
    public static final Duration MAX = Duration.ofHours(1);

    private RetryAfter() {
    }

    public static Optional<Duration> parse(String header, Clock clock) {
        if (header == null) {
            return Optional.empty();
        }
        String value = header.trim();
        if (value.isEmpty() || value.length() > 64) {
            return Optional.empty();
        }
        if (value.chars().allMatch(Character::isDigit)) {
            if (value.length() > 9) {
                return Optional.of(MAX);
            }
            return Optional.of(cap(Duration.ofSeconds(Long.parseLong(value))));
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(clock.instant(), at.toInstant());
            return Optional.of(d.isNegative() ? Duration.ZERO : cap(d));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration cap(Duration d) {
        return d.compareTo(MAX) > 0 ? MAX : d;
    }
}

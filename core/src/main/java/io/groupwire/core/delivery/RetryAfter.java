package io.groupwire.core.delivery;

import io.netty.handler.codec.DateFormatter;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a provider's HTTP {@code Retry-After} header (RFC 9110 §10.2.3) into a bounded delay, for
 * every adapter alike. Both forms are read: delay-seconds ({@code 1*DIGIT}, ASCII digits only) and
 * an HTTP-date in any of the three formats RFC 9110 §5.6.7 obliges a recipient to accept (Netty's
 * {@link DateFormatter} parses them). A provider's answer is not trusted blindly: a negative,
 * fractional or otherwise unreadable value reads as absent, a date in the past as "now", and every
 * delay is capped at {@link #MAX}, so that one odd header cannot stall a channel for days.
 */
public final class RetryAfter {
    /** Longer than any message lives (the TTL is two hours), so nothing is gained by waiting longer. */
    public static final Duration MAX = Duration.ofHours(1);
    /** No well-formed value is this long; longer ones are not parsed at all. */
    private static final int MAX_LENGTH = 64;
    private static final Pattern DELAY_SECONDS = Pattern.compile("[0-9]+");
    /** Ten digits still fit a long; more can only mean "longer than the cap". */
    private static final int MAX_PARSED_DIGITS = 10;

    private RetryAfter() {
    }

    /** The delay {@code header} asks for, capped at {@link #MAX}; empty when absent or unreadable. */
    public static Optional<Duration> parse(String header, Clock clock) {
        if (header == null) {
            return Optional.empty();
        }
        String value = header.trim();
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        if (DELAY_SECONDS.matcher(value).matches()) {
            return Optional.of(value.length() > MAX_PARSED_DIGITS ? MAX : cap(Duration.ofSeconds(Long.parseLong(value))));
        }
        Date at = DateFormatter.parseHttpDate(value);
        if (at == null) {
            return Optional.empty();
        }
        Duration d = Duration.between(clock.instant(), at.toInstant());
        return Optional.of(d.isNegative() ? Duration.ZERO : cap(d));
    }

    private static Duration cap(Duration d) {
        return d.compareTo(MAX) > 0 ? MAX : d;
    }
}

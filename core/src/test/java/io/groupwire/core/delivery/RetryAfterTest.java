package io.groupwire.core.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The shared Retry-After reader, fed what a well-behaved, a broken and a hostile provider might send. */
class RetryAfterTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-04-03T12:00:00Z"), ZoneOffset.UTC);

    private static Duration parse(String header) {
        return RetryAfter.parse(header, CLOCK).orElse(null);
    }

    @Test
    void readsDelaySeconds() {
        assertEquals(Duration.ofSeconds(12), parse(" 12 "));
        assertEquals(Duration.ZERO, parse("0"));
        assertEquals(Duration.ofSeconds(7), parse("007"));
        assertEquals(Duration.ofSeconds(3600), parse("3600"));
    }

    @Test
    void readsEveryHttpDateFormat() {
        assertEquals(Duration.ofSeconds(90), parse("Fri, 03 Apr 2026 12:01:30 GMT"), "IMF-fixdate");
        assertEquals(Duration.ofSeconds(90), parse("Fri, 3 Apr 2026 12:01:30 GMT"), "one-digit day");
        assertEquals(Duration.ofSeconds(90), parse("Friday, 03-Apr-26 12:01:30 GMT"), "obsolete RFC 850");
        assertEquals(Duration.ofSeconds(90), parse("Fri Apr  3 12:01:30 2026"), "obsolete asctime");
    }

    @Test
    void aPastDateMeansNow() {
        assertEquals(Duration.ZERO, parse("Fri, 3 Apr 2026 11:00:00 GMT"));
        assertEquals(Duration.ZERO, parse("Thu, 01 Jan 1970 00:00:00 GMT"));
    }

    @Test
    void longDelaysAreCappedWithoutOverflow() {
        assertEquals(RetryAfter.MAX, parse("3601"));
        assertEquals(RetryAfter.MAX, parse("86400"), "capped");
        assertEquals(RetryAfter.MAX, parse("9999999999"), "ten digits");
        assertEquals(RetryAfter.MAX, parse("99999999999"), "beyond ten digits");
        assertEquals(RetryAfter.MAX, parse("9".repeat(30)), "no overflow");
        assertEquals(RetryAfter.MAX, parse(String.valueOf(Long.MAX_VALUE)));
        assertEquals(RetryAfter.MAX, parse("Fri, 03 Apr 2099 12:00:00 GMT"), "a date years ahead");
    }

    @Test
    void garbageIsAbsent() {
        for (String bad : new String[] {null, "", "  ", "-1", "-0", "+5", "1.5", "1e3", "0x10", "soon", "12s", "12 s",
                "Fri, 32 Apr 2026 12:00:00 GMT", "1".repeat(100), "\u0000", "\u0661\u0662"}) {
            assertEquals(Optional.empty(), RetryAfter.parse(bad, CLOCK), String.valueOf(bad));
        }
    }
}

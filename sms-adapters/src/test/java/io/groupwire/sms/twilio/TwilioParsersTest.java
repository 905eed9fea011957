package io.groupwire.sms.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The two readers of provider input, fed directly with what a broken or hostile provider might send. */
class TwilioParsersTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-04-03T12:00:00Z"), ZoneOffset.UTC);

    private static TwilioAnswer answer(String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return TwilioAnswer.parse(b, b.length);
    }

    @Test
    void retryAfterReadsSecondsAndDates() {
        assertEquals(Duration.ofSeconds(12), RetryAfter.parse(" 12 ", CLOCK));
        assertEquals(Duration.ZERO, RetryAfter.parse("0", CLOCK));
        assertEquals(Duration.ofSeconds(90), RetryAfter.parse("Fri, 3 Apr 2026 12:01:30 GMT", CLOCK));
        assertEquals(Duration.ZERO, RetryAfter.parse("Fri, 3 Apr 2026 11:00:00 GMT", CLOCK), "a past date means now");
        assertEquals(RetryAfter.MAX, RetryAfter.parse("86400", CLOCK), "capped");
        assertEquals(RetryAfter.MAX, RetryAfter.parse("9".repeat(30), CLOCK), "no overflow");
    }

    @Test
    void retryAfterGarbageIsAbsent() {
        for (String bad : new String[] {null, "", "  ", "-1", "1.5", "soon", "12s", "Fri, 32 Apr 2026 12:00:00 GMT",
                "1".repeat(100), "\u0000"}) {
            assertNull(RetryAfter.parse(bad, CLOCK), String.valueOf(bad));
        }
    }

    @Test
    void answerReadsTopLevelCodeAndSid() {
        assertEquals(new TwilioAnswer(21211, null), answer("{\"code\":21211,\"message\":\"x\",\"status\":400}"));
        assertEquals(new TwilioAnswer(null, "SMabc"), answer("{\"sid\":\"SMabc\",\"status\":\"queued\"}"));
        assertEquals(new TwilioAnswer(21610, null), answer("{\"code\":\" 21610 \"}"));
        assertEquals(new TwilioAnswer(21211, null), answer("{\"more\":{\"code\":1,\"sid\":\"SMx\"},\"code\":21211}"));
    }

    @Test
    void answerToleratesAnything() {
        for (String bad : new String[] {"", "null", "[]", "\"str\"", "42", "{", "{\"code\":", "{\"code\":true}",
                "{\"code\":null}", "{\"code\":1e400}", "{\"code\":99999999999999999999999}", "{\"code\":\"2l211\"}",
                "{\"code\":\"01211\"}", "{\"sid\":\"\"}", "{\"sid\":\"" + "A".repeat(65) + "\"}", "<html/>",
                "\u00ff\u00fe", "{" + "\"a\":{".repeat(3000)}) {
            TwilioAnswer a = answer(bad);
            assertNull(a.code(), bad.length() > 40 ? bad.substring(0, 40) : bad);
            assertNull(a.sid());
        }
        byte[] invalidUtf8 = {'{', '"', 's', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertEquals(TwilioAnswer.EMPTY, TwilioAnswer.parse(invalidUtf8, invalidUtf8.length));
        assertEquals(TwilioAnswer.EMPTY, TwilioAnswer.parse(new byte[0], 0));
    }
}

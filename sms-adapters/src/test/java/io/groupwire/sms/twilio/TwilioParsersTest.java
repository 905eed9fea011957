package io.groupwire.sms.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The reader of Twilio's answer bodies, fed directly with what a broken or hostile provider might send
 * (the Retry-After reader it shares with the other adapters is tested in core's RetryAfterTest).
 */
class TwilioParsersTest {
    private static TwilioAnswer answer(String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return TwilioAnswer.parse(b, b.length);
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

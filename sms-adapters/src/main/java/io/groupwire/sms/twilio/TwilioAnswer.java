package io.groupwire.sms.twilio;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * What the adapter reads from a Twilio answer body: the message sid of an accepted message, the
 * error code of a refused one. Parsed defensively: the body may be truncated, not JSON at all, of
 * the wrong content type or of a hostile shape; anything unreadable is simply absent.
 *
 * @param code the Twilio error code (a 5-digit number), or null
 * @param sid  the message sid (letters and digits, at most 64), or null
 */
record TwilioAnswer(Integer code, String sid) {
    static final TwilioAnswer EMPTY = new TwilioAnswer(null, null);

    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern SID = Pattern.compile("[A-Za-z0-9]{1,64}");

    /** Reads the top-level {@code code} and {@code sid} of a JSON object; never throws. */
    static TwilioAnswer parse(byte[] body, int length) {
        if (length <= 0) {
            return EMPTY;
        }
        Integer code = null;
        String sid = null;
        // streaming, and only the top level: a deeply nested or huge document costs one pass
        try (JsonParser p = JSON.createParser(body, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return EMPTY;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("code".equals(name)) {
                    code = code(p, value);
                } else if ("sid".equals(name) && value == JsonToken.VALUE_STRING) {
                    String s = p.getText();
                    sid = SID.matcher(s).matches() ? s : null;
                }
                p.skipChildren();
            }
            return new TwilioAnswer(code, sid);
        } catch (IOException | RuntimeException e) {
            // truncated or malformed: keep what was read before the damage
            return new TwilioAnswer(code, sid);
        }
    }

    private static Integer code(JsonParser p, JsonToken value) throws IOException {
        String text;
        if (value == JsonToken.VALUE_NUMBER_INT) {
            text = p.getText();
        } else if (value == JsonToken.VALUE_STRING) {
            text = p.getText().trim();
        } else {
            return null;
        }
        // Twilio's codes are 5 digits; anything else would only add noise to metrics labels
        if (text.length() != 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9') || text.charAt(0) == '0') {
            return null;
        }
        return Integer.valueOf(text);
    }
}

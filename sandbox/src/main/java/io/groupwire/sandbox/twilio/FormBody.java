package io.groupwire.sandbox.twilio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader of {@code application/x-www-form-urlencoded} bodies for the sandbox. Strict where
 * the usual decoders are lenient: a broken percent escape or bytes that are not UTF-8 (raw or
 * percent-encoded) are refused with a message instead of silently becoming U+FFFD, so that the
 * sandbox can answer such requests with a clear 400.
 */
final class FormBody {
    /** More fields than any Messages request has; a flood of them is refused. */
    static final int MAX_FIELDS = 64;

    /** Thrown for a body that is not a well-formed UTF-8 form. */
    static final class MalformedFormException extends Exception {
        MalformedFormException(String message) {
            super(message, null, false, false);
        }
    }

    private FormBody() {
    }

    /** The fields in order of first appearance, each with all of its values. */
    static Map<String, List<String>> parse(byte[] raw) throws MalformedFormException {
        String text = utf8(raw, "the body is not valid UTF-8");
        Map<String, List<String>> fields = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return fields;
        }
        int count = 0;
        for (String pair : text.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            if (++count > MAX_FIELDS) {
                throw new MalformedFormException("the form has more than " + MAX_FIELDS + " fields");
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            fields.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        return fields;
    }

    private static String decode(String component) throws MalformedFormException {
        if (component.indexOf('%') < 0 && component.indexOf('+') < 0) {
            return component;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(component.length());
        int i = 0;
        while (i < component.length()) {
            char c = component.charAt(i);
            if (c == '+') {
                out.write(' ');
                i++;
            } else if (c == '%') {
                int hi = i + 1 < component.length() ? hex(component.charAt(i + 1)) : -1;
                int lo = i + 2 < component.length() ? hex(component.charAt(i + 2)) : -1;
                if (hi < 0 || lo < 0) {
                    throw new MalformedFormException("malformed percent-encoding at offset " + i + " of a form field");
                }
                out.write(hi << 4 | lo);
                i += 3;
            } else {
                // a run of literal characters, re-encoded as the UTF-8 they arrived as
                int end = i;
                while (end < component.length() && component.charAt(end) != '%' && component.charAt(end) != '+') {
                    end++;
                }
                out.writeBytes(component.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        return utf8(out.toByteArray(), "a form field is not valid UTF-8 once percent-decoded");
    }

    /** The value of an ASCII hex digit, -1 for anything else (Character.digit accepts other scripts' digits). */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static String utf8(byte[] bytes, String problem) throws MalformedFormException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new MalformedFormException(problem);
        }
    }
}

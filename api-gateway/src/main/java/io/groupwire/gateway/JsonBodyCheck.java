package io.groupwire.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Admits only bodies that every parser reads the same way. A body must be {@code application/json}
 * (with no parameter but {@code charset=utf-8}): any other media type, including look-alikes such as
 * {@code application/jsonx} or {@code +json} types, or none, is refused with 415, so no body
 * reaches the validator or a handler without passing this check. A JSON body is refused with 400
 * when it is ambiguous: bytes that are not UTF-8 (a lenient decoder silently substitutes them), an
 * object with the same key twice (which value counts?), nesting deeper than any request of this API
 * needs, a number longer than any parser should be asked to read, or trailing data after the
 * document. Each refusal says which of these it is.
 */
final class JsonBodyCheck implements Handler<RoutingContext> {
    /** Deeper than any request of this API (their depth is 2). */
    static final int MAX_DEPTH = 8;
    /** Longest number (in characters) read; no field of this API is a number at all. */
    static final int MAX_NUMBER_LENGTH = 1000;
    private static final String MEDIA_TYPE = "application/json";
    private static final JsonFactory STRICT = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH).build())
            .build();

    @Override
    public void handle(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        String type = ctx.request().getHeader("content-type");
        if (body == null || body.length() == 0) {
            ctx.next();
            return;
        }
        if (type == null) {
            // the validator would call this a missing body; it is a body of unknown type
            ctx.fail(new ApiException(415, "unsupported_media_type", "the body must be application/json (no Content-Type was given)"));
            return;
        }
        if (!isJson(type)) {
            ctx.fail(new ApiException(415, "unsupported_media_type", "the body must be application/json (UTF-8)"));
            return;
        }
        String problem = problem(body.getBytes());
        if (problem == null) {
            ctx.next();
        } else {
            ctx.fail(new ApiException(400, "malformed_json", problem));
        }
    }

    /** Whether {@code contentType} is {@code application/json}, bare or with {@code charset=utf-8}. */
    static boolean isJson(String contentType) {
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";", -1);
        if (!parts[0].trim().equals(MEDIA_TYPE)) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim().replace("\"", "");
            if (!parameter.replace(" ", "").equals("charset=utf-8")) {
                return false;
            }
        }
        return true;
    }

    /** Which of the parser's limits a document broke, in the API's words. */
    private static String constraint(String message) {
        String m = message == null ? "" : message;
        if (m.startsWith("Number value length")) {
            return "the JSON has a number longer than " + MAX_NUMBER_LENGTH + " digits";
        }
        if (m.contains("nesting depth")) {
            return "the JSON is nested deeper than " + MAX_DEPTH + " levels";
        }
        if (m.startsWith("String value length")) {
            return "the JSON has a string longer than the parser reads";
        }
        if (m.startsWith("Name length")) {
            return "the JSON has a key longer than the parser reads";
        }
        return "the JSON exceeds a limit of the parser";
    }

    /** What is wrong with the document, or null. */
    static String problem(byte[] bytes) {
        CharBuffer text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            return "the body is not valid UTF-8";
        }
        try (JsonParser p = STRICT.createParser(text.toString())) {
            if (p.nextToken() == null) {
                return "the body is empty";
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                return "the body has data after the JSON document";
            }
            return null;
        } catch (StreamConstraintsException e) {
            return constraint(e.getOriginalMessage());
        } catch (JsonParseException e) {
            String m = e.getOriginalMessage();
            if (m != null && m.startsWith("Duplicate field")) {
                return "the JSON object has a key twice: " + m.substring("Duplicate field ".length());
            }
            return "the body is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
        } catch (IOException e) {
            return "the body is not valid JSON";
        }
    }
}

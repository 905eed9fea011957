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
 * Refuses JSON bodies that a lenient parser would accept but that mean different things to
 * different parsers: bytes that are not UTF-8 (a lenient decoder silently substitutes them),
 * an object with the same key twice (which value counts?), nesting deeper than any request of this
 * API needs, or trailing data after the document. Runs before the OpenAPI validator, which then
 * sees only unambiguous documents. A body without a Content-Type is refused with 415; bodies of
 * other media types pass untouched (the validator answers 415 for them).
 */
final class JsonBodyCheck implements Handler<RoutingContext> {
    /** Deeper than any request of this API (their depth is 2). */
    static final int MAX_DEPTH = 8;
    private static final JsonFactory STRICT = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
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
            ctx.next();
            return;
        }
        String problem = problem(body.getBytes());
        if (problem == null) {
            ctx.next();
        } else {
            ctx.fail(new ApiException(400, "malformed_json", problem));
        }
    }

    static boolean isJson(String contentType) {
        String t = contentType.toLowerCase(Locale.ROOT);
        int semicolon = t.indexOf(';');
        String media = (semicolon < 0 ? t : t.substring(0, semicolon)).trim();
        return media.equals("application/json") || media.endsWith("+json");
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
            return "the JSON is nested deeper than " + MAX_DEPTH + " levels";
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

package io.groupwire.core.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * The answers a server gives below the application, where no router has seen the request: the same
 * JSON error shape the API uses ({@code {"error": {"code", "message"}}}), always with
 * {@code Connection: close}, because after a malformed or overdue request the connection's framing
 * cannot be trusted.
 */
final class RawAnswers {
    private RawAnswers() {
    }

    static String body(String code, String message) {
        return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)).encode();
    }

    static FullHttpResponse response(ByteBufAllocator alloc, int status, String code, String message) {
        ByteBuf content = alloc.buffer().writeBytes(body(code, message).getBytes(StandardCharsets.UTF_8));
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return r;
    }

    /** A description of a decoder's complaint fit for one log line: no control characters, bounded. */
    static String describe(Throwable cause) {
        String m = cause == null ? "" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        m = m.replaceAll("\\p{Cntrl}", "?");
        return m.length() > 160 ? m.substring(0, 160) + "..." : m;
    }
}

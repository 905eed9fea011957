package io.groupwire.push;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP answer from a provider, read defensively: at most {@code maxBytes} of its body are kept
 * (the rest is refused by resetting the stream, so a 10 MB answer costs no more than a small one),
 * and an answer cut short by the peer still yields its status with whatever body arrived.
 *
 * @param status   the HTTP status
 * @param headers  the response headers
 * @param body     at most the first {@code maxBytes} of the body
 * @param complete false when the body was cut at the cap or by the peer: it cannot be trusted whole
 */
public record ProviderAnswer(int status, MultiMap headers, Buffer body, boolean complete) {

    /**
     * Reads {@code response}; the future never fails. Call it directly in a callback of the future
     * {@code request.send()} returned: Vert.x delivers body chunks only to a handler already set.
     */
    public static Future<ProviderAnswer> read(HttpClientResponse response, int maxBytes) {
        Promise<ProviderAnswer> done = Promise.promise();
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (done.future().isComplete()) {
                return;
            }
            int room = maxBytes - body.length();
            if (chunk.length() <= room) {
                body.appendBuffer(chunk);
                return;
            }
            body.appendBuffer(chunk, 0, Math.max(0, room));
            done.tryComplete(new ProviderAnswer(response.statusCode(), response.headers(), body, false));
            response.request().reset();
        });
        response.endHandler(v -> done.tryComplete(new ProviderAnswer(response.statusCode(), response.headers(), body, true)));
        response.exceptionHandler(e -> done.tryComplete(
                new ProviderAnswer(response.statusCode(), response.headers(), body, false)));
        return done.future();
    }

    public String contentType() {
        String type = headers.get("content-type");
        return type == null ? "" : type;
    }

    /** Whether the provider says the body is JSON. */
    public boolean isJson() {
        return contentType().toLowerCase(java.util.Locale.ROOT).contains("json");
    }

    public String text() {
        return body.toString(StandardCharsets.UTF_8);
    }
}

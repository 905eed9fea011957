package io.groupwire.sandbox.twilio;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a request body up to a limit for the sandbox. Unlike vertx-web's BodyHandler it does not
 * hand form bodies to Netty's form decoder, whose defaults (8 KiB per field) would refuse a legal
 * 1600-character UCS-2 message and whose errors carry no useful message; {@link FormBody} parses
 * instead. A body over the limit is drained, not kept, so the caller still gets an answer, and a
 * connection that keeps sending far beyond it is closed.
 */
final class BoundedRequestBody {
    /** The bytes, or null when the body was larger than the limit. */
    record Result(byte[] bytes) {
        boolean tooLarge() {
            return bytes == null;
        }
    }

    private BoundedRequestBody() {
    }

    /**
     * Calls {@code done} once the whole body arrived. Must be called before the request's data is
     * delivered, that is from the route's first handler, without an asynchronous step before it.
     */
    static void read(RoutingContext ctx, int limit, long drainLimit, Handler<Result> done) {
        if (ctx.body() != null && ctx.body().available()) {
            // a BodyHandler earlier in the chain has read it already
            Buffer b = ctx.body().buffer();
            byte[] bytes = b == null ? new byte[0] : b.getBytes();
            done.handle(new Result(bytes.length > limit ? null : bytes));
            return;
        }
        if (ctx.request().isEnded()) {
            done.handle(new Result(new byte[0]));
            return;
        }
        Buffer body = Buffer.buffer(1024);
        long[] seen = {0};
        ctx.request().handler(chunk -> {
            seen[0] += chunk.length();
            if (seen[0] <= limit) {
                body.appendBuffer(chunk);
            } else if (seen[0] > drainLimit) {
                ctx.request().connection().close();
            }
        });
        // a connection that breaks mid-body leaves nobody to answer
        ctx.request().exceptionHandler(e -> { });
        ctx.request().endHandler(v -> done.handle(new Result(seen[0] > limit ? null : body.getBytes())));
    }
}

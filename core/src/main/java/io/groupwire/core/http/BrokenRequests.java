package io.groupwire.core.http;

import io.vertx.ext.web.Router;

/**
 * What a router does when a request's stream breaks while its body is read (the client went away,
 * or {@link RequestReadGuard} cut it off): Vert.x Web's body reader then fails the request with status
 * 200, which no error handler expects, so the failure is logged with a stack trace and the client is
 * told "200 OK". Mounted on a router, such a request is answered 400 if anyone is still there, and
 * not logged.
 */
public final class BrokenRequests {
    private BrokenRequests() {
    }

    public static void answerQuietly(Router router) {
        router.errorHandler(200, ctx -> {
            if (!ctx.response().closed() && !ctx.response().ended() && !ctx.response().headWritten()) {
                ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
                        .putHeader("connection", "close")
                        .end(RawAnswers.body("bad_request", "the request body could not be read"));
            }
        });
    }
}

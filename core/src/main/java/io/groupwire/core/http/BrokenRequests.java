package io.groupwire.core.http;

import io.vertx.ext.web.Router;
import java.util.Map;

/**
 * How a router without error handlers of its own (the management and sandbox ports) refuses what
 * Vert.x Web refuses by itself: a JSON error with the status, and no log line. Without these
 * handlers Vert.x Web logs each such refusal as an unhandled exception, a line an unauthenticated
 * client could repeat at will. It also covers a request whose stream broke while its body was read
 * (the client went away, or {@link RequestReadGuard} cut it off): Vert.x Web's body reader fails such a
 * request with status 200, which it would answer "200 OK"; it gets 400 here if anyone is still there.
 */
public final class BrokenRequests {
    /** Status handled, and the status, code and message answered. */
    private static final Map<Integer, String[]> REFUSALS = Map.of(
            200, new String[] {"400", "bad_request", "the request body could not be read"},
            400, new String[] {"400", "bad_request", "the request is malformed"},
            404, new String[] {"404", "not_found", "no such resource"},
            405, new String[] {"405", "method_not_allowed", "method not allowed on this resource"},
            413, new String[] {"413", "too_large", "the request body is too large"},
            415, new String[] {"415", "unsupported_media_type", "unsupported media type"});

    private BrokenRequests() {
    }

    public static void answerQuietly(Router router) {
        REFUSALS.forEach((status, answer) -> router.errorHandler(status, ctx -> {
            if (!ctx.response().closed() && !ctx.response().ended() && !ctx.response().headWritten()) {
                ctx.response().setStatusCode(Integer.parseInt(answer[0])).putHeader("content-type", "application/json")
                        .end(RawAnswers.body(answer[1], answer[2]));
            }
        }));
    }
}

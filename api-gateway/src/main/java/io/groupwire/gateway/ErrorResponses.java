package io.groupwire.gateway;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.validation.BadRequestException;
import io.vertx.ext.web.validation.BodyProcessorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders every failure as {@code {"error": {"code", "message"}}} with the right status: the
 * gateway's own {@link ApiException}s, the OpenAPI validator's rejections (400, or 415 for a body
 * that is not JSON), Vert.x Web's own statuses (404, 405, 413), and anything unexpected as a 500
 * whose details go to the log, not to the client.
 */
final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
    private static final int MAX_MESSAGE = 300;

    private ErrorResponses() {
    }

    /** Renders the context's failure; {@code status} is the error handler's code. */
    static void handle(RoutingContext ctx, int status) {
        if (ctx.response().ended()) {
            return;
        }
        Throwable failure = ctx.failure();
        if (failure instanceof ApiException e) {
            send(ctx, e);
        } else if (failure instanceof BodyProcessorException b
                && b.getErrorType() == BodyProcessorException.BodyProcessorErrorType.MISSING_MATCHING_BODY_PROCESSOR) {
            send(ctx, new ApiException(415, "unsupported_media_type", "the body must be application/json"));
        } else if (failure instanceof BodyProcessorException b
                && b.getErrorType() == BodyProcessorException.BodyProcessorErrorType.PARSING_ERROR) {
            send(ctx, new ApiException(400, "malformed_json", "the body is not valid JSON"));
        } else if (failure instanceof BadRequestException b) {
            send(ctx, new ApiException(400, "invalid_request", describe(b)));
        } else if (failure == null) {
            // Vert.x Web's own 404/405 reach the error handler without a status on the context
            send(ctx, forStatus(ctx.statusCode() > 0 ? ctx.statusCode() : status));
        } else {
            LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.normalizedPath(), failure);
            send(ctx, new ApiException(500, "internal", "internal error"));
        }
    }

    static ApiException forStatus(int status) {
        return switch (status) {
            case 400 -> new ApiException(400, "invalid_request", "the request is malformed");
            case 401 -> new ApiException(401, "unauthorized", "a valid bearer token is required");
            case 403 -> new ApiException(403, "forbidden", "not allowed");
            case 404 -> new ApiException(404, "not_found", "no such resource");
            case 405 -> new ApiException(405, "method_not_allowed", "method not allowed on this resource");
            case 413 -> new ApiException(413, "too_large", "the request body is too large");
            case 415 -> new ApiException(415, "unsupported_media_type", "the body must be application/json");
            case 503 -> ApiException.unavailable("temporarily unavailable");
            default -> new ApiException(status >= 400 ? status : 500, "internal", "internal error");
        };
    }

    static void send(RoutingContext ctx, ApiException e) {
        var response = ctx.response().setStatusCode(e.status()).putHeader("content-type", "application/json");
        if (e.status() == 401) {
            response.putHeader("www-authenticate", "Bearer");
        }
        if (e.retryAfterSeconds() != null) {
            response.putHeader("retry-after", Integer.toString(e.retryAfterSeconds()));
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "...";
        }
        response.end(new JsonObject().put("error", new JsonObject().put("code", e.code()).put("message", message)).encode());
    }

    private static String describe(BadRequestException b) {
        String m = b.getMessage();
        Throwable cause = b.getCause();
        if (cause != null && cause.getMessage() != null) {
            m = m + ": " + cause.getMessage();
        }
        return m == null ? "the request is invalid" : m;
    }
}

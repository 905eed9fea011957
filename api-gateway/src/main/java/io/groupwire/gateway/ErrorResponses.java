package io.groupwire.gateway;

import io.groupwire.core.directory.Group;
import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.ValidatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders every failure as {@code {"error": {"code", "message"}}} with the right status: the
 * gateway's own {@link ApiException}s, the OpenAPI validator's rejections (see
 * {@link ValidationMessages}), Vert.x Web's own statuses (404, 405, 413), and anything unexpected
 * as a 500 whose details go to the log, not to the client. Refused message posts are counted by
 * error code.
 */
final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
    private static final int MAX_MESSAGE = 300;

    private final GatewayMetrics metrics;
    private final ValidationMessages validation;

    ErrorResponses(GatewayMetrics metrics, ValidationMessages validation) {
        this.metrics = metrics;
        this.validation = validation;
    }

    /** Renders the context's failure; {@code status} is the status the error handler was registered for. */
    void handle(RoutingContext ctx, int status) {
        if (ctx.failure() instanceof HttpClosedException || ctx.response().closed()) {
            // the client went away (or its connection was cut for being too slow): no one to answer
            return;
        }
        if (ctx.response().headWritten()) {
            // too late for an error body: the client sees a cut connection, not a wrong answer
            ctx.response().reset();
            return;
        }
        ApiException e = toApi(ctx, status);
        if ("sendMessage".equals(Operations.current(ctx))) {
            metrics.refused(e.code());
        }
        send(ctx, e);
    }

    private ApiException toApi(RoutingContext ctx, int status) {
        Throwable failure = ctx.failure();
        if (failure instanceof ApiException e) {
            return e;
        }
        if (failure instanceof HttpException h && h.getCause() instanceof ValidatorException v) {
            // the OpenAPI router wraps every rejection of its validator in a 400
            LOG.debug("validator refused {} {}: {}", ctx.request().method(), ctx.normalizedPath(), v.getMessage());
            return validation.of(v, ctx);
        }
        if (failure instanceof HttpException h && h.getStatusCode() < 500) {
            return forStatus(ctx, h.getStatusCode());
        }
        if (status == 200 && failure != null) {
            // the body reader fails with the status of a success when the request stream itself broke
            LOG.debug("the request stream of {} {} broke: {}", ctx.request().method(), ctx.normalizedPath(), failure.toString());
            return ApiException.badRequest("the request body could not be read");
        }
        if (failure == null) {
            // Vert.x Web's own 404, 405 and 413 arrive as a bare status
            return forStatus(ctx, ctx.statusCode() > 0 ? ctx.statusCode() : status);
        }
        if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            // Vert.x Web refusing the request itself, with a reason of its own (e.g. a missing Host)
            LOG.debug("refused {} {} with {}: {}", ctx.request().method(), ctx.normalizedPath(), ctx.statusCode(), failure.toString());
            return forStatus(ctx, ctx.statusCode());
        }
        LOG.error("unexpected failure on {} {} ({})", ctx.request().method(), ctx.normalizedPath(),
                Operations.current(ctx), failure);
        return new ApiException(500, "internal", "internal error");
    }

    /** The answer for a bare status; a too large group creation names the member limit, the reason a body can be that large. */
    private static ApiException forStatus(RoutingContext ctx, int status) {
        if (status == 413 && "createGroup".equals(Operations.current(ctx))) {
            return new ApiException(413, "too_large", "a group has at most " + Group.MAX_MEMBERS
                    + " members, and this body is larger than the creation of any such group needs");
        }
        return forStatus(status);
    }

    static ApiException forStatus(int status) {
        return switch (status) {
            case 400 -> ApiException.badRequest("the request is malformed");
            case 401 -> new ApiException(401, "unauthorized", "a valid bearer token is required");
            case 403 -> ApiException.forbidden("not allowed");
            case 404 -> new ApiException(404, "not_found", "no such resource");
            case 405 -> new ApiException(405, "method_not_allowed", "method not allowed on this resource");
            case 413 -> new ApiException(413, "too_large", "the request body is too large");
            case 415 -> new ApiException(415, "unsupported_media_type", "the body must be application/json");
            case 503 -> ApiException.unavailable("temporarily unavailable; retry");
            default -> status >= 400 && status < 500 ? new ApiException(status, "invalid_request", "the request was refused")
                    : new ApiException(500, "internal", "internal error");
        };
    }

    static void send(RoutingContext ctx, ApiException e) {
        var response = ctx.response().setStatusCode(e.status());
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
        Responses.json(ctx, e.status(), Responses.error(e.code(), message));
    }
}

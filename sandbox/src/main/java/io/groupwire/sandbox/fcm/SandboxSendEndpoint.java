package io.groupwire.sandbox.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupwire.core.json.Json;
import io.groupwire.sandbox.ReceivedDelivery;
import io.groupwire.sandbox.ReceivedLog;
import io.groupwire.sandbox.SandboxFaults;
import io.groupwire.sandbox.UnregisteredTokens;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The sandbox's {@code POST /v1/projects/<project>/messages:send}, playing FCM HTTP v1. In order:
 * the bearer token must be one the sandbox issued and still live (401 UNAUTHENTICATED); the project
 * must be the sandbox's (403 PERMISSION_DENIED); then the fault plan of channel {@code fcm} is
 * acted out (ERROR: 503 UNAVAILABLE; THROTTLE: 429 QUOTA_EXCEEDED with Retry-After; DROP: the
 * stream is reset, or on HTTP/1.1 the connection closed, without an answer; latency delays every
 * answer); the body must be JSON and valid ({@link SandboxMessageValidator}; 400 INVALID_ARGUMENT);
 * tokens in {@link UnregisteredTokens} answer 404 UNREGISTERED. An accepted message is recorded as
 * {@code ReceivedDelivery("fcm", token, gw_message_id, body, now)} (unless {@code validate_only})
 * and answered {@code {"name": "projects/<p>/messages/<id>"}}.
 */
final class SandboxSendEndpoint implements Handler<RoutingContext> {
    private final FcmSandboxCredentials credentials;
    private final SandboxTokenEndpoint tokens;
    private final ReceivedLog log;
    private final SandboxFaults faults;
    private final UnregisteredTokens unregistered;
    private final Clock clock;

    SandboxSendEndpoint(FcmSandboxCredentials credentials, SandboxTokenEndpoint tokens, ReceivedLog log,
                        SandboxFaults faults, UnregisteredTokens unregistered, Clock clock) {
        this.credentials = credentials;
        this.tokens = tokens;
        this.log = log;
        this.faults = faults;
        this.unregistered = unregistered;
        this.clock = clock;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String authorization = ctx.request().getHeader("authorization");
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        if (!tokens.valid(token)) {
            SandboxAnswers.respond(ctx, SandboxAnswers.fcmError(401, "UNAUTHENTICATED", "Request had invalid authentication "
                    + "credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
                    null, null));
            return;
        }
        String project = ctx.pathParam("param0");
        if (!credentials.projectId().equals(project)) {
            SandboxAnswers.respond(ctx, SandboxAnswers.fcmError(403, "PERMISSION_DENIED",
                    "Permission 'cloudmessaging.messages.create' denied on the resource (or it may not exist).",
                    null, null));
            return;
        }
        SandboxFaults.FaultSpec spec = faults.get("fcm");
        SandboxFaults.Action action = faults.decide("fcm");
        Runnable act = () -> act(ctx, action, spec);
        if (spec.latencyMillis() > 0) {
            ctx.vertx().setTimer(spec.latencyMillis(), id -> act.run());
        } else {
            act.run();
        }
    }

    private void act(RoutingContext ctx, SandboxFaults.Action action, SandboxFaults.FaultSpec spec) {
        switch (action) {
            case DROP -> {
                // HTTP/2: RST_STREAM for this request only; HTTP/1.1: the connection closes
                ctx.response().reset();
                return;
            }
            case ERROR -> {
                SandboxAnswers.respond(ctx, SandboxAnswers.fcmError(503, "UNAVAILABLE", "The service is currently unavailable.",
                        "UNAVAILABLE", null));
                return;
            }
            case THROTTLE -> {
                SandboxAnswers.respond(ctx, SandboxAnswers.fcmError(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric "
                        + "'Send messages' of service 'fcm.googleapis.com'.", "QUOTA_EXCEEDED", null)
                        .withRetryAfter(spec.retryAfterSeconds()));
                return;
            }
            case ACCEPT -> {
            }
        }
        SandboxAnswers.respond(ctx, accept(ctx));
    }

    private SandboxAnswers accept(RoutingContext ctx) {
        String type = ctx.request().getHeader("content-type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return SandboxAnswers.invalidArgument(null, "Invalid JSON payload received. Content-Type must be application/json.");
        }
        String body = ctx.body().asString("UTF-8");
        JsonNode root;
        try {
            root = body == null ? null : Json.mapper().readTree(body);
        } catch (Exception e) {
            return SandboxAnswers.invalidArgument(null, "Invalid JSON payload received. The body is not well-formed JSON.");
        }
        SandboxAnswers violation = SandboxMessageValidator.check(root);
        if (violation != null) {
            return violation;
        }
        String token = SandboxMessageValidator.token(root);
        if (unregistered.since(token).isPresent()) {
            return SandboxAnswers.fcmError(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED", null);
        }
        String name = "projects/" + credentials.projectId() + "/messages/0:" + clock.millis() + "%"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        if (SandboxMessageValidator.validateOnly(root)) {
            return SandboxAnswers.ok(new JsonObject().put("name", "projects/" + credentials.projectId()
                    + "/messages/fake_message_id"));
        }
        log.record(new ReceivedDelivery("fcm", token, SandboxMessageValidator.messageId(root), body, clock.millis()));
        return SandboxAnswers.ok(new JsonObject().put("name", name));
    }
}

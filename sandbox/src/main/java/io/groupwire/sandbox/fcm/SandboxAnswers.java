package io.groupwire.sandbox.fcm;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The answers of the FCM sandbox, in Google's shapes: FCM's error JSON
 * {@code {"error": {"code", "message", "status", "details": [...]}}} for {@code messages:send},
 * OAuth2's {@code {"error", "error_description"}} for the token endpoint.
 *
 * @param status     HTTP status
 * @param body       the JSON body
 * @param retryAfter the Retry-After header in seconds, or -1 for none
 */
record SandboxAnswers(int status, JsonObject body, int retryAfter) {

    static SandboxAnswers ok(JsonObject body) {
        return new SandboxAnswers(200, body, -1);
    }

    /** An FCM error with an FcmError detail (when {@code errorCode} is given) and a field violation (when {@code field} is). */
    static SandboxAnswers fcmError(int code, String status, String message, String errorCode, String field) {
        JsonArray details = new JsonArray();
        if (errorCode != null) {
            details.add(new JsonObject().put("@type", "type.googleapis.com/google.firebase.fcm.v1.FcmError")
                    .put("errorCode", errorCode));
        }
        if (field != null) {
            details.add(new JsonObject().put("@type", "type.googleapis.com/google.rpc.BadRequest")
                    .put("fieldViolations", new JsonArray().add(new JsonObject().put("field", field)
                            .put("description", message))));
        }
        JsonObject error = new JsonObject().put("code", code).put("message", message).put("status", status);
        if (!details.isEmpty()) {
            error.put("details", details);
        }
        return new SandboxAnswers(code, new JsonObject().put("error", error), -1);
    }

    static SandboxAnswers invalidArgument(String field, String message) {
        return fcmError(400, "INVALID_ARGUMENT", message, "INVALID_ARGUMENT", field);
    }

    static SandboxAnswers oauthError(String error, String description) {
        return new SandboxAnswers(400, new JsonObject().put("error", error).put("error_description", description), -1);
    }

    SandboxAnswers withRetryAfter(int seconds) {
        return new SandboxAnswers(status, body, seconds);
    }

    /** Sends this answer, unless the exchange is already over (answered, reset, closed). */
    static void respond(RoutingContext ctx, SandboxAnswers answer) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(answer.status()).putHeader("content-type", "application/json; charset=UTF-8");
        if (answer.retryAfter() >= 0) {
            response.putHeader("retry-after", Integer.toString(answer.retryAfter()));
        }
        response.end(answer.body().encode());
    }
}

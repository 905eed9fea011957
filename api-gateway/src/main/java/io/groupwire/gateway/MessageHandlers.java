package io.groupwire.gateway;

import io.groupwire.core.intake.MessageIntake;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/**
 * {@code POST /v1/groups/{id}/messages}: checks the text, hands the message to the atomic intake
 * and answers 202 only once Redis holds it. A repeated source_guid answers the first message
 * again and enqueues nothing; a full mailbox or outbox answers 503 with Retry-After. Refusals are
 * counted by {@link ErrorResponses}, which sees every one of them, validation and authentication
 * included.
 */
final class MessageHandlers {
    /** Seconds a client is asked to wait when delivery is backed up. */
    static final int BUSY_RETRY_AFTER_SECONDS = 1;

    private final MessageIntake intake;
    private final RedisGuard guard;
    private final GatewayMetrics metrics;

    MessageHandlers(MessageIntake intake, RedisGuard guard, GatewayMetrics metrics) {
        this.intake = intake;
        this.guard = guard;
        this.metrics = metrics;
    }

    void mount(RouterBuilder rb) {
        rb.getRoute("sendMessage").addHandler(ctx -> {
            JsonObject body = Params.body(ctx);
            String text = body.getString("text");
            String guid = body.getString("source_guid");
            String problem = TextRules.guidProblem(guid);
            if (problem == null) {
                problem = TextRules.messageProblem(text);
            }
            if (problem != null) {
                ctx.fail(ApiException.badRequest(problem));
                return;
            }
            String groupId = Params.path(ctx, "id");
            guard.call(intake.accept(groupId, BearerAuth.user(ctx).id(), guid, text)).onSuccess(r -> {
                switch (r.status()) {
                    case ACCEPTED -> {
                        metrics.accepted();
                        Responses.json(ctx, 202, Responses.accepted(r.message()));
                    }
                    case DUPLICATE -> {
                        metrics.duplicate();
                        Responses.json(ctx, 202, Responses.accepted(r.message()));
                    }
                    case NOT_MEMBER -> ctx.fail(ApiException.forbidden("only members may post to this group"));
                    case NO_GROUP -> ctx.fail(ApiException.notFound("group"));
                    case FULL -> ctx.fail(new ApiException(503, "busy", "delivery is backed up; retry shortly",
                            BUSY_RETRY_AFTER_SECONDS));
                }
            }).onFailure(ctx::fail);
        });
    }
}

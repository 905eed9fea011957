package io.groupwire.gateway;

import io.groupwire.core.directory.Directory;
import io.groupwire.core.intake.MessageIntake;
import io.groupwire.gateway.RateLimitSettings.Limit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/**
 * {@code POST /v1/groups/{id}/messages}: checks the text and the sender's and the group's rate
 * limits, hands the message to the atomic intake and answers 202 only once Redis holds it. A
 * repeated source_guid (same sender, group and text) answers the first message again and enqueues
 * nothing; the same source_guid with another group or text answers 409 and enqueues nothing; a
 * full mailbox or outbox answers 503 with Retry-After; a non-member is told the group does not exist. Refusals are
 * counted by {@link ErrorResponses}, which sees every one of them, validation and authentication
 * included.
 */
final class MessageHandlers {
    /** Seconds a client is asked to wait when delivery is backed up. */
    static final int BUSY_RETRY_AFTER_SECONDS = 1;

    private final MessageIntake intake;
    private final Directory directory;
    private final RedisGuard guard;
    private final RateLimits limits;
    private final GatewayMetrics metrics;

    MessageHandlers(MessageIntake intake, Directory directory, RedisGuard guard, RateLimits limits,
                    GatewayMetrics metrics) {
        this.intake = intake;
        this.directory = directory;
        this.guard = guard;
        this.limits = limits;
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
            String sender = BearerAuth.user(ctx).id();
            // the group's bucket is only for its members: a stranger must not spend a group's sends
            Future.all(limits.take(Limit.SEND_PER_USER, sender), guard.call(directory.isMember(groupId, sender)))
                    .compose(both -> both.<Boolean>resultAt(1) ? limits.take(Limit.SEND_PER_GROUP, groupId)
                            : Future.failedFuture(ApiException.notFound("group")))
                    .compose(v -> guard.call(intake.accept(groupId, sender, guid, text))).onSuccess(r -> {
                switch (r.status()) {
                    case ACCEPTED -> {
                        metrics.accepted();
                        Responses.json(ctx, 202, Responses.accepted(r.message()));
                    }
                    case DUPLICATE -> {
                        metrics.duplicate();
                        Responses.json(ctx, 202, Responses.accepted(r.message()));
                    }
                    // to a non-member the group does not exist
                    case NOT_MEMBER, NO_GROUP -> ctx.fail(ApiException.notFound("group"));
                    case CONFLICT -> ctx.fail(new ApiException(409, "source_guid_conflict", "this source_guid was "
                            + "already used by the same sender for another group or another text; use a new one"));
                    case FULL -> ctx.fail(new ApiException(503, "busy", "delivery is backed up; retry shortly",
                            BUSY_RETRY_AFTER_SECONDS));
                }
            }).onFailure(ctx::fail);
        });
    }
}

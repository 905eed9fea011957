package io.groupwire.gateway;

import io.groupwire.core.intake.MessageIntake;
import io.groupwire.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.openapi.RouterBuilder;

/**
 * {@code POST /v1/groups/{id}/messages}: checks the text, then hands the message to the atomic
 * intake, and answers 202 only once Redis holds it. A repeated source_guid answers the first
 * message again; a full mailbox or outbox answers 503 with Retry-After.
 */
final class MessageHandlers {
    private final MessageIntake intake;
    private final RedisGuard guard;
    private final Counter accepted;
    private final Counter duplicates;
    private final MeterRegistry registry;

    MessageHandlers(MessageIntake intake, RedisGuard guard, MeterRegistry registry) {
        this.intake = intake;
        this.guard = guard;
        this.registry = registry;
        this.accepted = registry.counter(MetricNames.MESSAGES_ACCEPTED);
        this.duplicates = registry.counter(MetricNames.DUPLICATES_SUPPRESSED, "stage", "gateway");
    }

    void mount(RouterBuilder rb) {
        rb.operation("sendMessage").handler(ctx -> {
            JsonObject body = Params.body(ctx);
            String text = body.getString("text");
            String guid = body.getString("source_guid");
            int length = TextRules.codePoints(text);
            if (length < 1 || length > TextRules.MAX_MESSAGE_CODE_POINTS) {
                refuse("text_length");
                ctx.fail(ApiException.badRequest("text must be 1 to 1000 characters, was " + length));
                return;
            }
            if (TextRules.hasControlCharacters(text) || TextRules.hasControlCharacters(guid)) {
                refuse("control_characters");
                ctx.fail(ApiException.badRequest("text and source_guid must not contain control characters"));
                return;
            }
            String groupId = Params.path(ctx, "id");
            guard.call(intake.accept(groupId, BearerAuth.user(ctx).id(), guid, text)).onSuccess(r -> {
                switch (r.status()) {
                    case ACCEPTED -> {
                        accepted.increment();
                        Responses.json(ctx, 202, Responses.accepted(r.message()));
                    }
                    case DUPLICATE -> {
                        duplicates.increment();
                        Responses.json(ctx, 202, Responses.accepted(r.message()));
                    }
                    case NOT_MEMBER -> {
                        refuse("not_member");
                        ctx.fail(ApiException.forbidden("only members may post to this group"));
                    }
                    case NO_GROUP -> {
                        refuse("no_group");
                        ctx.fail(ApiException.notFound("group"));
                    }
                    case FULL -> {
                        refuse("back_pressure");
                        ctx.fail(new ApiException(503, "busy", "delivery is backed up; retry shortly", 1));
                    }
                }
            }).onFailure(e -> {
                refuse("unavailable");
                ctx.fail(e);
            });
        });
    }

    private void refuse(String reason) {
        registry.counter(MetricNames.MESSAGES_REFUSED, "reason", reason).increment();
    }
}

package io.groupwire.gateway;

import io.groupwire.core.history.History;
import io.groupwire.core.history.HistoryPage;
import io.groupwire.core.history.KeptMessage;
import io.groupwire.core.history.LikeResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.time.Instant;

/**
 * The group history and likes operations of the contract: listMessages, likeMessage,
 * unlikeMessage, listLikes. To a non-member the group does not exist (404), as everywhere in the
 * group API; a message that is not in the group's history is a 404 as well.
 */
final class HistoryHandlers {
    private static final int DEFAULT_PAGE = 50;

    private final History history;
    private final RedisGuard guard;

    HistoryHandlers(History history, RedisGuard guard) {
        this.history = history;
        this.guard = guard;
    }

    void mount(RouterBuilder rb) {
        rb.getRoute("listMessages").addHandler(this::list);
        rb.getRoute("likeMessage").addHandler(ctx -> change(ctx,
                history.like(Params.path(ctx, "id"), Params.path(ctx, "messageId"), caller(ctx))));
        rb.getRoute("unlikeMessage").addHandler(ctx -> change(ctx,
                history.unlike(Params.path(ctx, "id"), Params.path(ctx, "messageId"), caller(ctx))));
        rb.getRoute("listLikes").addHandler(this::likes);
    }

    private void list(RoutingContext ctx) {
        ValidatedRequest req = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
        String before = query(req, "before");
        String after = query(req, "after");
        String limit = query(req, "limit");
        int n = limit == null ? DEFAULT_PAGE : Integer.parseInt(limit);
        guard.call(history.page(Params.path(ctx, "id"), caller(ctx), before, after, n)).onSuccess(page -> {
            switch (page.status()) {
                case NOT_MEMBER -> ctx.fail(ApiException.notFound("group"));
                case NO_MESSAGE -> ctx.fail(ApiException.notFound("message"));
                case OK -> {
                    JsonArray out = new JsonArray();
                    for (KeptMessage k : page.messages()) {
                        out.add(new JsonObject().put("id", k.message().id()).put("group_id", k.message().groupId())
                                .put("sender_id", k.message().senderId()).put("text", k.message().text())
                                .put("accepted_at", Instant.ofEpochMilli(k.message().acceptedAtMillis()).toString())
                                .put("likes", k.likes()));
                    }
                    Responses.json(ctx, 200, new JsonObject().put("messages", out));
                }
            }
        }).onFailure(ctx::fail);
    }

    private void change(RoutingContext ctx, Future<LikeResult> result) {
        guard.call(result).onSuccess(r -> {
            if (r.status() == LikeResult.Status.OK) {
                ctx.response().setStatusCode(204).end();
            } else {
                ctx.fail(refusal(r.status()));
            }
        }).onFailure(ctx::fail);
    }

    private void likes(RoutingContext ctx) {
        guard.call(history.likes(Params.path(ctx, "id"), Params.path(ctx, "messageId"), caller(ctx))).onSuccess(r -> {
            if (r.status() != LikeResult.Status.OK) {
                ctx.fail(refusal(r.status()));
                return;
            }
            JsonArray out = new JsonArray();
            r.likes().forEach(l -> out.add(new JsonObject().put("user_id", l.userId())
                    .put("liked_at", Instant.ofEpochMilli(l.likedAtMillis()).toString())));
            Responses.json(ctx, 200, new JsonObject().put("likes", out));
        }).onFailure(ctx::fail);
    }

    private static ApiException refusal(LikeResult.Status status) {
        // to a non-member the group does not exist
        return status == LikeResult.Status.NOT_MEMBER ? ApiException.notFound("group") : ApiException.notFound("message");
    }

    private static String query(ValidatedRequest req, String name) {
        RequestParameter p = req.getQuery().get(name);
        return p == null || p.isNull() ? null : String.valueOf(p.get());
    }

    private static String caller(RoutingContext ctx) {
        return BearerAuth.user(ctx).id();
    }
}

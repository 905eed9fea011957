package io.groupwire.gateway;

import io.groupwire.core.reply.ReplyNumbers;
import io.groupwire.core.directory.Directory;
import io.groupwire.core.directory.Group;
import io.groupwire.core.directory.GroupChange;
import io.groupwire.core.directory.UnknownUsersException;
import io.groupwire.core.directory.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Groups, their members and roles, as GroupMe has them: the creator owns the group; the owner and
 * the admins add and remove members and name admins; only the owner removes an admin or hands
 * ownership over; nobody removes the owner; any member may leave. To anyone who is not a member a
 * group does not exist (404, never 403, which would tell them it does); a member without the right
 * gets 403. The directory checks the rights atomically with each change.
 */
final class GroupHandlers {
    private final Directory directory;
    private final RedisGuard guard;
    private final RateLimits limits;

    private final ReplyNumbers replyNumbers;

    /** @param replyNumbers the reply numbers, or null when no number pool is configured */
    GroupHandlers(Directory directory, RedisGuard guard, RateLimits limits, ReplyNumbers replyNumbers) {
        this.replyNumbers = replyNumbers;
        this.directory = directory;
        this.guard = guard;
        this.limits = limits;
    }

    void mount(RouterBuilder rb) {
        rb.getRoute("createGroup").addHandler(this::create);
        rb.getRoute("getGroup").addHandler(this::view);
        rb.getRoute("addMember").addHandler(ctx -> {
            String userId = Params.body(ctx).getString("user_id");
            limits.take(RateLimitSettings.Limit.ADD_MEMBER, caller(ctx))
                    .compose(v -> guard.call(directory.addMember(Params.path(ctx, "id"), caller(ctx), userId)))
                    .onSuccess(change -> {
                        if (change.status() == GroupChange.Status.OK) {
                            Responses.json(ctx, 201, Responses.group(change.group()));
                        } else {
                            answer(ctx, change, "only the group's owner and admins add members", userId);
                        }
                    })
                    .onFailure(ctx::fail);
        });
        rb.getRoute("removeMember").addHandler(ctx -> noContent(ctx,
                directory.removeMember(Params.path(ctx, "id"), caller(ctx), Params.path(ctx, "userId")),
                "only the group's owner and admins remove members (an admin only the owner, the owner nobody)",
                "member"));
        rb.getRoute("nameAdmin").addHandler(ctx -> answer(ctx,
                directory.nameAdmin(Params.path(ctx, "id"), caller(ctx), Params.path(ctx, "userId")),
                "only the group's owner and admins name admins"));
        rb.getRoute("revokeAdmin").addHandler(ctx -> noContent(ctx,
                directory.revokeAdmin(Params.path(ctx, "id"), caller(ctx), Params.path(ctx, "userId")),
                "only the group's owner takes the admin role from an admin (an admin may step down)", "admin"));
        rb.getRoute("transferOwnership").addHandler(ctx -> answer(ctx,
                directory.transferOwnership(Params.path(ctx, "id"), caller(ctx), Params.body(ctx).getString("user_id")),
                "only the group's owner hands ownership over"));
    }

    private void create(RoutingContext ctx) {
        JsonObject body = Params.body(ctx);
        String name = body.getString("name").strip();
        String problem = TextRules.nameProblem("name", name);
        if (problem != null) {
            ctx.fail(ApiException.badRequest(problem));
            return;
        }
        User creator = BearerAuth.user(ctx);
        Set<String> members = new LinkedHashSet<>();
        JsonArray given = body.getJsonArray("members", new JsonArray());
        for (int i = 0; i < given.size(); i++) {
            members.add(given.getString(i));
        }
        members.remove(creator.id());
        if (members.size() + 1 > Group.MAX_MEMBERS) {
            ctx.fail(new ApiException(400, "too_many_members", "a group holds at most " + Group.MAX_MEMBERS
                    + " members, creator included; " + (members.size() + 1) + " were given"));
            return;
        }
        List<String> others = new ArrayList<>(members);
        limits.take(RateLimitSettings.Limit.CREATE_GROUP, creator.id())
                .compose(v -> guard.call(directory.createGroup(creator.id(), name, others)))
                .recover(e -> Future.failedFuture(e instanceof UnknownUsersException u ? unknownUsers(u) : e))
                .onSuccess(g -> Responses.json(ctx, 201, Responses.group(g)))
                .onFailure(ctx::fail);
    }

    private record Viewed(GroupChange change, String replyNumber) {
    }

    /** A group as its member sees it, with their own reply number for it when they have a phone (assigned if need be). */
    private void view(RoutingContext ctx) {
        User caller = BearerAuth.user(ctx);
        guard.call(directory.group(Params.path(ctx, "id"), caller.id())).compose(c -> {
            if (c.status() != GroupChange.Status.OK || replyNumbers == null || caller.phone() == null) {
                return Future.succeededFuture(new Viewed(c, null));
            }
            return guard.call(replyNumbers.forViewing(caller.id(), caller.phone(), c.group().id()))
                    .map(a -> new Viewed(c, a.owner() ? a.number() : null));
        }).onSuccess(viewed -> {
            GroupChange c = viewed.change();
            if (c.status() != GroupChange.Status.OK) {
                answer(ctx, c, "only members see a group", null);
                return;
            }
            JsonObject json = Responses.group(c.group());
            if (viewed.replyNumber() != null) {
                json.put("reply_number", viewed.replyNumber());
            }
            Responses.json(ctx, 200, json);
        }).onFailure(ctx::fail);
    }

    private static String caller(RoutingContext ctx) {
        return BearerAuth.user(ctx).id();
    }

    /** Answers 200 with the group for OK and SAME, or the error the change's status stands for. */
    private void answer(RoutingContext ctx, Future<GroupChange> change, String forbidden) {
        guard.call(change).onSuccess(c -> answer(ctx, c, forbidden, null)).onFailure(ctx::fail);
    }

    private static void answer(RoutingContext ctx, GroupChange c, String forbidden, String userId) {
        if (c.status() == GroupChange.Status.OK || c.status() == GroupChange.Status.SAME) {
            Responses.json(ctx, 200, Responses.group(c.group()));
        } else {
            ctx.fail(refusal(c.status(), forbidden, "member", userId));
        }
    }

    /** Answers 204 for OK, or the error the change's status stands for; {@code target} names what NO_TARGET did not find. */
    private void noContent(RoutingContext ctx, Future<GroupChange> change, String forbidden, String target) {
        guard.call(change).onSuccess(c -> {
            if (c.status() == GroupChange.Status.OK) {
                ctx.response().setStatusCode(204).end();
            } else {
                ctx.fail(refusal(c.status(), forbidden, target, null));
            }
        }).onFailure(ctx::fail);
    }

    private static ApiException refusal(GroupChange.Status status, String forbidden, String target, String userId) {
        return switch (status) {
            // to a non-member the group does not exist
            case NO_GROUP, NOT_MEMBER -> ApiException.notFound("group");
            case FORBIDDEN -> ApiException.forbidden(forbidden);
            case NO_TARGET -> ApiException.notFound(target);
            case NO_USER -> unknownUsers(new UnknownUsersException(List.of(userId)));
            case FULL -> new ApiException(409, "group_full",
                    "the group has " + Group.MAX_MEMBERS + " members, the most a group may hold");
            case OK, SAME -> throw new IllegalStateException("not a refusal: " + status);
        };
    }

    private static ApiException unknownUsers(UnknownUsersException e) {
        return new ApiException(400, "unknown_users", e.getMessage());
    }
}

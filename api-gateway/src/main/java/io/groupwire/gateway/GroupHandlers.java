package io.groupwire.gateway;

import io.groupwire.core.directory.Directory;
import io.groupwire.core.directory.Group;
import io.groupwire.core.directory.UnknownUsersException;
import io.groupwire.core.directory.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Groups and their members. Only members see a group or change its membership; any member may
 * add anyone and remove any member, themselves included (GroupMe's rule for ordinary groups: there
 * are no group admins in this API).
 */
final class GroupHandlers {
    /** A membership after an addition: new (201) or already there (200). */
    private record Added(boolean isNew, Group group) {
    }

    private final Directory directory;
    private final RedisGuard guard;

    GroupHandlers(Directory directory, RedisGuard guard) {
        this.directory = directory;
        this.guard = guard;
    }

    void mount(RouterBuilder rb) {
        rb.getRoute("createGroup").addHandler(ctx -> {
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
            guard.call(directory.createGroup(creator.id(), name, others))
                    .recover(e -> Future.failedFuture(e instanceof UnknownUsersException u ? unknownUsers(u) : e))
                    .onSuccess(g -> Responses.json(ctx, 201, Responses.group(g)))
                    .onFailure(ctx::fail);
        });
        rb.getRoute("getGroup").addHandler(ctx -> memberGroup(Params.path(ctx, "id"), BearerAuth.user(ctx))
                .onSuccess(g -> Responses.json(ctx, 200, Responses.group(g)))
                .onFailure(ctx::fail));
        rb.getRoute("addMember").addHandler(ctx -> {
            String groupId = Params.path(ctx, "id");
            String userId = Params.body(ctx).getString("user_id");
            memberGroup(groupId, BearerAuth.user(ctx))
                    .compose(g -> guard.call(directory.addMember(groupId, userId)))
                    .compose(result -> switch (result) {
                        case NO_GROUP -> Future.failedFuture(ApiException.notFound("group"));
                        case NO_USER -> Future.failedFuture(unknownUsers(new UnknownUsersException(List.of(userId))));
                        case FULL -> Future.failedFuture(new ApiException(409, "group_full",
                                "the group has " + Group.MAX_MEMBERS + " members, the most a group may hold"));
                        case ADDED, ALREADY_MEMBER -> guard.call(directory.group(groupId))
                                .map(g -> new Added(result == Directory.AddResult.ADDED, g));
                    })
                    .onSuccess(added -> {
                        if (added.group() == null) {
                            ctx.fail(ApiException.notFound("group"));
                        } else {
                            Responses.json(ctx, added.isNew() ? 201 : 200, Responses.group(added.group()));
                        }
                    })
                    .onFailure(ctx::fail);
        });
        rb.getRoute("removeMember").addHandler(ctx -> {
            String groupId = Params.path(ctx, "id");
            String userId = Params.path(ctx, "userId");
            memberGroup(groupId, BearerAuth.user(ctx))
                    .compose(g -> guard.call(directory.removeMember(groupId, userId)))
                    .onSuccess(removed -> {
                        if (removed) {
                            ctx.response().setStatusCode(204).end();
                        } else {
                            ctx.fail(ApiException.notFound("member"));
                        }
                    })
                    .onFailure(ctx::fail);
        });
    }

    private static ApiException unknownUsers(UnknownUsersException e) {
        return new ApiException(400, "unknown_users", e.getMessage());
    }

    /** The group if it exists and the caller is a member: 404 or 403 otherwise. */
    private Future<Group> memberGroup(String groupId, User caller) {
        return guard.call(directory.group(groupId)).compose(g -> {
            if (g == null) {
                return Future.failedFuture(ApiException.notFound("group"));
            }
            if (!g.members().contains(caller.id())) {
                return Future.failedFuture(ApiException.forbidden("only members of the group may do this"));
            }
            return Future.succeededFuture(g);
        });
    }
}

package io.groupwire.gateway;

import io.groupwire.core.directory.Directory;
import io.groupwire.core.directory.Group;
import io.groupwire.core.directory.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.openapi.RouterBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Groups and their members. Only members see a group or change its membership; any member may
 * remove any member, themselves included (GroupMe's rule for ordinary groups).
 */
final class GroupHandlers {
    private final Directory directory;
    private final RedisGuard guard;

    GroupHandlers(Directory directory, RedisGuard guard) {
        this.directory = directory;
        this.guard = guard;
    }

    void mount(RouterBuilder rb) {
        rb.operation("createGroup").handler(ctx -> {
            JsonObject body = Params.body(ctx);
            String name = body.getString("name").strip();
            if (name.isEmpty() || TextRules.hasControlCharacters(name)) {
                ctx.fail(ApiException.badRequest("name must be 1 to 100 printable characters"));
                return;
            }
            User creator = BearerAuth.user(ctx);
            Set<String> members = new LinkedHashSet<>();
            JsonArray given = body.getJsonArray("members", new JsonArray());
            for (int i = 0; i < given.size(); i++) {
                members.add(given.getString(i));
            }
            members.remove(creator.id());
            List<String> others = new ArrayList<>(members);
            guard.call(directory.missingUsers(others)).compose(missing -> {
                if (!missing.isEmpty()) {
                    List<String> shown = missing.subList(0, Math.min(10, missing.size()));
                    return Future.failedFuture(new ApiException(400, "unknown_users",
                            "no such users: " + String.join(", ", shown) + (missing.size() > 10 ? ", ..." : "")));
                }
                return guard.call(directory.createGroup(creator.id(), name, others));
            }).onSuccess(g -> Responses.json(ctx, 201, Responses.group(g))).onFailure(ctx::fail);
        });
        rb.operation("getGroup").handler(ctx -> memberGroup(Params.path(ctx, "id"), BearerAuth.user(ctx))
                .onSuccess(g -> Responses.json(ctx, 200, Responses.group(g)))
                .onFailure(ctx::fail));
        rb.operation("addMember").handler(ctx -> {
            String groupId = Params.path(ctx, "id");
            String userId = Params.body(ctx).getString("user_id");
            memberGroup(groupId, BearerAuth.user(ctx))
                    .compose(g -> guard.call(directory.missingUsers(List.of(userId))))
                    .compose(missing -> missing.isEmpty() ? guard.call(directory.addMember(groupId, userId))
                            : Future.failedFuture(ApiException.notFound("user")))
                    .compose(result -> switch (result) {
                        case NO_GROUP -> Future.failedFuture(ApiException.notFound("group"));
                        case FULL -> Future.failedFuture(new ApiException(409, "group_full",
                                "a group holds at most " + Group.MAX_MEMBERS + " members"));
                        default -> guard.call(directory.group(groupId));
                    })
                    .onSuccess(g -> Responses.json(ctx, 200, Responses.group(g)))
                    .onFailure(ctx::fail);
        });
        rb.operation("removeMember").handler(ctx -> {
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

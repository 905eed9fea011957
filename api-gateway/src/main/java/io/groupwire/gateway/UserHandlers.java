package io.groupwire.gateway;

import io.groupwire.core.directory.Directory;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/** {@code POST /v1/users}: the admin creates a user and receives the user's token, this once. */
final class UserHandlers {
    private final Directory directory;
    private final RedisGuard guard;

    UserHandlers(Directory directory, RedisGuard guard) {
        this.directory = directory;
        this.guard = guard;
    }

    void mount(RouterBuilder rb) {
        rb.getRoute("createUser").addHandler(ctx -> {
            JsonObject body = Params.body(ctx);
            String name = body.getString("name").strip();
            String phone = body.getString("phone");
            String problem = TextRules.nameProblem("name", name);
            if (problem == null && phone != null && !Formats.isE164(phone)) {
                problem = "'phone' has the wrong form (E.164, a plus and 8 to 15 digits, the first not zero, e.g. +15551234567)";
            }
            if (problem != null) {
                ctx.fail(ApiException.badRequest(problem));
                return;
            }
            guard.call(directory.createUser(name, phone))
                    .onSuccess(created -> Responses.json(ctx, 201, Responses.createdUser(created.user(), created.token())))
                    .onFailure(ctx::fail);
        });
    }
}

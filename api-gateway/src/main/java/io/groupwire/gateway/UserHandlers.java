package io.groupwire.gateway;

import io.groupwire.core.directory.Directory;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.openapi.RouterBuilder;

/** {@code POST /v1/users}: the admin creates a user and receives the user's token, once. */
final class UserHandlers {
    private final Directory directory;
    private final RedisGuard guard;

    UserHandlers(Directory directory, RedisGuard guard) {
        this.directory = directory;
        this.guard = guard;
    }

    void mount(RouterBuilder rb) {
        rb.operation("createUser").handler(ctx -> {
            JsonObject body = Params.body(ctx);
            String name = body.getString("name").strip();
            if (name.isEmpty() || TextRules.hasControlCharacters(name)) {
                ctx.fail(ApiException.badRequest("name must be 1 to 100 printable characters"));
                return;
            }
            guard.call(directory.createUser(name, body.getString("phone"))).onSuccess(created -> Responses.json(ctx, 201,
                    new JsonObject().put("id", created.user().id()).put("name", created.user().name())
                            .put("phone", created.user().phone()).put("token", created.token())))
                    .onFailure(ctx::fail);
        });
    }
}

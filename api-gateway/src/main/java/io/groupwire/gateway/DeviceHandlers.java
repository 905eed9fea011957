package io.groupwire.gateway;

import io.groupwire.core.directory.Directory;
import io.groupwire.core.message.Channel;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.openapi.RouterBuilder;

/** {@code POST /v1/devices} and {@code DELETE /v1/devices/{id}}: a user's push registrations. */
final class DeviceHandlers {
    private final Directory directory;
    private final RedisGuard guard;

    DeviceHandlers(Directory directory, RedisGuard guard) {
        this.directory = directory;
        this.guard = guard;
    }

    void mount(RouterBuilder rb) {
        rb.operation("addDevice").handler(ctx -> {
            JsonObject body = Params.body(ctx);
            Channel platform = Channel.fromId(body.getString("platform"));
            guard.call(directory.addDevice(BearerAuth.user(ctx).id(), platform, body.getString("token")))
                    .onSuccess(d -> Responses.json(ctx, 201, Responses.device(d)))
                    .onFailure(ctx::fail);
        });
        rb.operation("removeDevice").handler(ctx -> guard.call(directory.removeDevice(BearerAuth.user(ctx).id(), Params.path(ctx, "id")))
                .onSuccess(removed -> {
                    if (removed) {
                        ctx.response().setStatusCode(204).end();
                    } else {
                        ctx.fail(ApiException.notFound("device"));
                    }
                })
                .onFailure(ctx::fail));
    }
}

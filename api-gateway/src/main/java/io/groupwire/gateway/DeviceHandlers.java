package io.groupwire.gateway;

import io.groupwire.core.directory.Directory;
import io.groupwire.core.directory.TooManyDevicesException;
import io.groupwire.core.message.Channel;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/**
 * {@code POST /v1/devices} and {@code DELETE /v1/devices/{id}}: the calling user's push registrations.
 * A token belongs to one user at a time: registering it moves it to the caller (the previous
 * owner's registration ends, counted), and its owner's {@code DELETE} ends it everywhere.
 */
final class DeviceHandlers {
    private final Directory directory;
    private final RedisGuard guard;

    private final GatewayMetrics metrics;

    DeviceHandlers(Directory directory, RedisGuard guard, GatewayMetrics metrics) {
        this.directory = directory;
        this.guard = guard;
        this.metrics = metrics;
    }

    void mount(RouterBuilder rb) {
        rb.getRoute("addDevice").addHandler(ctx -> {
            JsonObject body = Params.body(ctx);
            Channel platform = Channel.fromId(body.getString("platform"));
            if (!Formats.isDeviceToken(body.getString("token"))) {
                ctx.fail(ApiException.badRequest("'token' has the wrong form: 1 to 512 letters, digits and : _ . -"));
                return;
            }
            guard.call(directory.registerDevice(BearerAuth.user(ctx).id(), platform, body.getString("token")))
                    .recover(e -> Future.failedFuture(e instanceof TooManyDevicesException
                            ? new ApiException(409, "too_many_devices", e.getMessage()) : e))
                    .onSuccess(r -> {
                        if (r.previousOwner() != null) {
                            metrics.deviceMoved();
                        }
                        Responses.json(ctx, 201, Responses.device(r.device()));
                    })
                    .onFailure(ctx::fail);
        });
        rb.getRoute("removeDevice").addHandler(ctx -> guard.call(directory.removeDevice(BearerAuth.user(ctx).id(), Params.path(ctx, "id")))
                .onSuccess(removed -> {
                    if (removed) {
                        ctx.response().setStatusCode(204).end();
                    } else {
                        // another user's device is as unknown to the caller as one that never was
                        ctx.fail(ApiException.notFound("device"));
                    }
                })
                .onFailure(ctx::fail));
    }
}

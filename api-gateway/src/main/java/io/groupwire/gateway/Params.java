package io.groupwire.gateway;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.ValidatedRequest;

/** Access to what the OpenAPI validator parsed and checked. */
final class Params {
    private Params() {
    }

    private static ValidatedRequest validated(RoutingContext ctx) {
        return ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    }

    static JsonObject body(RoutingContext ctx) {
        return validated(ctx).getBody().getJsonObject();
    }

    static String path(RoutingContext ctx, String name) {
        return validated(ctx).getPathParameters().get(name).getString();
    }
}

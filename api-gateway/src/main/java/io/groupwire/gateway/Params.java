package io.groupwire.gateway;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.validation.RequestParameters;
import io.vertx.ext.web.validation.ValidationHandler;

/** Access to what the OpenAPI validator parsed and checked. */
final class Params {
    private Params() {
    }

    static JsonObject body(RoutingContext ctx) {
        RequestParameters p = ctx.get(ValidationHandler.REQUEST_CONTEXT_KEY);
        return p.body().getJsonObject();
    }

    static String path(RoutingContext ctx, String name) {
        RequestParameters p = ctx.get(ValidationHandler.REQUEST_CONTEXT_KEY);
        return p.pathParameter(name).getString();
    }
}

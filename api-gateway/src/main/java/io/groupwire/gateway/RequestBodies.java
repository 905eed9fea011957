package io.groupwire.gateway;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Reads request bodies up to a limit that depends on the operation: the configured limit for
 * everything but group creation, whose member list may hold {@link io.groupwire.core.directory.Group#MAX_MEMBERS}
 * ids and gets {@link #GROUP_BODY_LIMIT} (at least). A larger body is refused with 413 before it
 * is read to the end; file uploads are never accepted.
 */
final class RequestBodies implements Handler<RoutingContext> {
    /** Enough for 5,000 member ids of the longest allowed form (64 characters) and a name. */
    static final int GROUP_BODY_LIMIT = 512 * 1024;

    private final BodyHandler general;
    private final BodyHandler groups;

    RequestBodies(int limit) {
        this.general = BodyHandler.create(false).setBodyLimit(limit);
        this.groups = BodyHandler.create(false).setBodyLimit(Math.max(limit, GROUP_BODY_LIMIT));
    }

    @Override
    public void handle(RoutingContext ctx) {
        ("createGroup".equals(Operations.current(ctx)) ? groups : general).handle(ctx);
    }
}

package io.groupwire.core.config;

import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Function;

/**
 * Runs a service on one Vert.x context of its own, so that all of its state is touched by one
 * thread and needs no locks, whichever thread started or stops it.
 */
public final class OwnContext {
    private final Vertx vertx;
    private final Context context;
    private final String deploymentId;

    private OwnContext(Vertx vertx, Context context, String deploymentId) {
        this.vertx = vertx;
        this.context = context;
        this.deploymentId = deploymentId;
    }

    /**
     * A new event-loop context of {@code vertx}, on the next thread of its event-loop pool. Not
     * {@code getOrCreateContext()}: called outside Vert.x it hands every caller on one thread the
     * same context, so services started one after another from a main thread (the all-in-one
     * launcher, the bench) all ran on a single event-loop thread while the others idled.
     */
    public static Future<OwnContext> create(Vertx vertx) {
        // Vert.x's public way to a new event-loop context is a deployment: each one gets its own,
        // handed to the deployable; the deployment stays until close() so the context stays live
        Promise<Context> given = Promise.promise();
        Deployable anchor = context -> {
            given.complete(context);
            return Future.succeededFuture();
        };
        return vertx.deployVerticle(anchor)
                .compose(id -> given.future().map(context -> new OwnContext(vertx, context, id)));
    }

    public Context context() {
        return context;
    }

    /** Runs {@code work} on the context and completes with its result, wherever it was called from. */
    public <T> Future<T> run(Function<Void, Future<T>> work) {
        Promise<T> done = Promise.promise();
        context.runOnContext(v -> work.apply(null).onComplete(done));
        return done.future();
    }

    /**
     * Undeploys the deployment that holds the context, which also closes what is still tied to it
     * (timers, servers). For when the service has stopped; closing Vert.x does it too, so a
     * deployment already gone is not an error.
     */
    public Future<Void> close() {
        return vertx.undeploy(deploymentId).recover(e -> Future.succeededFuture());
    }
}

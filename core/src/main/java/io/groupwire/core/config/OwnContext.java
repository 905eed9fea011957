package io.groupwire.core.config;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import java.util.function.Function;

/**
 * Runs a service on one Vert.x context of its own, so that all of its state is touched by one
 * thread and needs no locks, whichever thread started or stops it.
 */
public final class OwnContext {
    private final Context context;

    private OwnContext(Context context) {
        this.context = context;
    }

    /**
     * A new event-loop context of {@code vertx}, on the next thread of its event-loop pool. Not
     * {@code getOrCreateContext()}: called outside Vert.x it hands every caller on one thread the
     * same context, so services started one after another from a main thread (the all-in-one
     * launcher, the bench) all ran on a single event-loop thread while the others idled.
     */
    public static OwnContext create(Vertx vertx) {
        // the public API has no "new context" short of deploying a verticle; this is what deployment does
        return new OwnContext(((VertxInternal) vertx).createEventLoopContext());
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
}

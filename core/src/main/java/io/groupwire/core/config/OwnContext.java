package io.groupwire.core.config;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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

    /** The caller's context if it runs on one, else a new event-loop context of {@code vertx}. */
    public static OwnContext create(Vertx vertx) {
        return new OwnContext(vertx.getOrCreateContext());
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

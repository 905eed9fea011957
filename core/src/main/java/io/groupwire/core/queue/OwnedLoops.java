package io.groupwire.core.queue;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The queue loops a service instance runs, one per queue whose lease it holds. A loop that finds
 * its lease gone stops by itself; it is then forgotten here and its queue forfeited, so that the
 * ownership takes the queue again as soon as the lease is free (instead of believing it still
 * holds it). Shared by the transport (mailboxes) and the pacer (outboxes).
 */
public final class OwnedLoops {
    private final Map<String, QueueLoop> loops = new HashMap<>();
    private final Consumer<ReliableQueue> forfeit;

    /** @param forfeit tells the ownership that a queue's lease is lost (usually {@link QueueOwnership#forfeit}) */
    public OwnedLoops(Consumer<ReliableQueue> forfeit) {
        this.forfeit = forfeit;
    }

    /** Starts the loop of a queue just acquired. */
    public void run(ReliableQueue queue, QueueLoop loop) {
        String key = queue.keys().queue();
        loops.put(key, loop);
        loop.onLeaseLost(() -> {
            loops.remove(key, loop);
            forfeit.accept(queue);
        });
        loop.start();
    }

    /** Stops the loop of a queue whose lease was lost or given up; done when its round in progress is. */
    public Future<Void> stop(ReliableQueue queue) {
        QueueLoop loop = loops.remove(queue.keys().queue());
        return loop == null ? Future.succeededFuture() : loop.stop();
    }
}

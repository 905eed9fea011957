package io.groupwire.core.fanout;

import io.groupwire.core.queue.LeaseLostException;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.List;

/**
 * Writes a claimed batch's deliveries into the shard's outboxes and acknowledges the claims in one
 * atomic script, guarded by one ledger per message: a delivery id already in the ledger is never
 * written twice, however often its message is claimed. This is the transport's exactly-once step.
 */
public final class FanoutLedger {
    private final FanoutScript script;

    /** @param ledgerTtl how long ledgers live: longer than the message TTL, so no live message loses its ledger */
    public FanoutLedger(Redis redis, int shard, String worker, Duration ledgerTtl) {
        this.script = new FanoutScript(redis, shard, worker, ledgerTtl.toSeconds());
    }

    /**
     * Applies the batch. Completes with the number of deliveries written per item (fewer than
     * planned means the rest were already in the ledger); fails with {@link LeaseLostException} if
     * the worker no longer owns the shard, in which case nothing was written.
     */
    public Future<List<Integer>> apply(FanoutBatch batch) {
        return script.run(batch.items());
    }
}

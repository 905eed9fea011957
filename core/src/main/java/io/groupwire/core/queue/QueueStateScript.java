package io.groupwire.core.queue;

import io.groupwire.core.message.Channel;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.groupwire.core.redis.QueueKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.List;

/**
 * The typed side of {@code queue_state.lua}: what the operators' console shows of one shard's
 * mailbox and outboxes, read in one call per shard.
 */
public final class QueueStateScript {
    private static final LuaScript SCRIPT = LuaScript.load("queue_state");
    private static final int VALUES_PER_QUEUE = 7;

    /**
     * One queue's state.
     *
     * @param queue            "mailbox" or the channel's id
     * @param oldestAcceptedAt when the oldest waiting entry was accepted (ms), 0 when none waits
     * @param leaseHolder      the worker holding the lease, empty when none does
     * @param leaseMillisLeft  how long the lease has left, negative when none is held
     */
    public record QueueState(int shard, String queue, long depth, long inflight, long oldestAcceptedAt,
                             String leaseHolder, long leaseMillisLeft, long retrying, long deadLetters) {
    }

    private final Redis redis;

    public QueueStateScript(Redis redis) {
        this.redis = redis;
    }

    /** The shard's mailbox, then its outboxes in channel order. */
    public Future<List<QueueState>> read(int shard) {
        List<String> keys = new ArrayList<>();
        List<String> names = new ArrayList<>();
        QueueKeys mailbox = Keys.mailbox(shard);
        // the mailbox has no retry set: its own key stands in, and the script skips it
        add(keys, mailbox, mailbox.queue(), Keys.deadLetters(shard, null));
        names.add("mailbox");
        for (Channel c : Channel.values()) {
            add(keys, Keys.outbox(shard, c), Keys.retry(shard, c), Keys.deadLetters(shard, c));
            names.add(c.id());
        }
        return SCRIPT.run(redis, keys, List.of()).map(r -> {
            List<QueueState> out = new ArrayList<>(names.size());
            for (int q = 0; q < names.size(); q++) {
                int b = q * VALUES_PER_QUEUE;
                out.add(new QueueState(shard, names.get(q), r.get(b).toLong(), r.get(b + 1).toLong(), r.get(b + 2).toLong(),
                        r.get(b + 3).toString(), r.get(b + 4).toLong(), r.get(b + 5).toLong(), r.get(b + 6).toLong()));
            }
            return out;
        });
    }

    private static void add(List<String> keys, QueueKeys q, String retry, String dead) {
        keys.add(q.queue());
        keys.add(q.inflight());
        keys.add(q.lease());
        keys.add(retry);
        keys.add(dead);
    }
}

package io.groupwire.core.deadletter;

import io.groupwire.core.json.Json;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.redis.Keys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * What an operator does with dead letters: the messages the transport could not process and the
 * deliveries that failed too often. Lists them per queue, and replays them to the head of their
 * queue; a replayed delivery is marked for retry in its ledger and starts its attempts afresh.
 */
public final class DeadLetters {
    private final Redis redis;
    private final int shards;
    private final ReplayScript replay;

    public DeadLetters(Redis redis, int shards) {
        this.redis = redis;
        this.shards = shards;
        this.replay = new ReplayScript(redis);
    }

    /** One dead letter: where it is and the entry as stored. */
    public record Entry(int shard, Channel channel, int index, String entry) {
        /** "mailbox" or the channel's id. */
        public String queue() {
            return channel == null ? "mailbox" : channel.id();
        }
    }

    /** Dead letters of the mailboxes ({@code channel == null}) or of a channel's outboxes, oldest first. */
    public Future<List<Entry>> list(Channel channel, int maxPerShard) {
        List<Future<Response>> reads = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            reads.add(redis.send(Request.cmd(Command.LRANGE).arg(Keys.deadLetters(s, channel)).arg(-maxPerShard).arg(-1)));
        }
        return Future.all(reads).map(all -> {
            List<Entry> out = new ArrayList<>();
            for (int s = 0; s < shards; s++) {
                Response r = reads.get(s).result();
                int i = 0;
                for (int k = r.size() - 1; k >= 0; k--) {
                    out.add(new Entry(s, channel, i++, r.get(k).toString()));
                }
            }
            return out;
        });
    }

    /** How many dead letters each kind of queue holds, over all shards. */
    public Future<Long> count(Channel channel) {
        List<Future<Response>> reads = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            reads.add(redis.send(Request.cmd(Command.LLEN).arg(Keys.deadLetters(s, channel))));
        }
        return Future.all(reads).map(all -> reads.stream().mapToLong(f -> f.result().toLong()).sum());
    }

    /** Replays up to {@code max} dead letters of every shard to the head of their queues; answers how many. */
    public Future<Long> replay(Channel channel, int max) {
        List<Future<Integer>> moves = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            moves.add(replayShard(s, channel, max));
        }
        return Future.all(moves).map(all -> moves.stream().mapToLong(Future::result).sum());
    }

    private Future<Integer> replayShard(int shard, Channel channel, int max) {
        if (channel == null) {
            return replay.mailbox(shard, max);
        }
        String dead = Keys.deadLetters(shard, channel);
        return redis.send(Request.cmd(Command.LRANGE).arg(dead).arg(-max).arg(-1)).compose(r -> {
            List<String> stored = new ArrayList<>(r.size());
            // newest first, so that the oldest is pushed last and is the next to be claimed
            for (int k = 0; k < r.size(); k++) {
                stored.add(r.get(k).toString());
            }
            return replayOutbox(shard, channel, max, stored);
        });
    }

    private Future<Integer> replayOutbox(int shard, Channel channel, int max, List<String> stored) {
        List<ReplayScript.OutboxEntry> entries = new ArrayList<>(stored.size());
        for (String s : stored) {
            Delivery d;
            try {
                d = Json.read(s, Delivery.class);
            } catch (IllegalArgumentException e) {
                continue; // unreadable: it stays for an operator to look at
            }
            entries.add(new ReplayScript.OutboxEntry(s, d.messageId(), d.id(), Json.write(d.withAttempt(0))));
        }
        return replay.outbox(shard, channel, max, entries);
    }

    /** One page of a queue's dead letters over all shards, shard by shard, oldest first within a shard. */
    public record Page(long total, List<Entry> entries) {
    }

    /**
     * The dead letters of the mailboxes ({@code channel == null}) or of a channel's outboxes from
     * {@code offset} on, at most {@code limit}: the shards are taken in order, each oldest first, as
     * {@link #list} shows them. {@link Entry#index()} is the entry's position in its shard.
     */
    public Future<Page> page(Channel channel, long offset, int limit) {
        List<Future<Response>> lengths = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            lengths.add(redis.send(Request.cmd(Command.LLEN).arg(Keys.deadLetters(s, channel))));
        }
        return Future.all(lengths).compose(all -> {
            long total = 0;
            List<Future<List<Entry>>> reads = new ArrayList<>();
            long skip = offset;
            long want = limit;
            for (int s = 0; s < shards; s++) {
                long len = lengths.get(s).result().toLong();
                total += len;
                if (want <= 0 || skip >= len) {
                    skip -= Math.min(skip, len);
                    continue;
                }
                long from = skip;
                long to = Math.min(len, skip + want) - 1;
                want -= to - from + 1;
                skip = 0;
                int shard = s;
                // oldest first is the list's tail: position i from the oldest is index -1 - i
                reads.add(redis.send(Request.cmd(Command.LRANGE).arg(Keys.deadLetters(s, channel)).arg(-1 - to).arg(-1 - from))
                        .map(r -> {
                            List<Entry> out = new ArrayList<>(r.size());
                            for (int k = r.size() - 1, i = (int) from; k >= 0; k--, i++) {
                                out.add(new Entry(shard, channel, i, r.get(k).toString()));
                            }
                            return out;
                        }));
            }
            long sum = total;
            return Future.all(reads).map(x -> {
                List<Entry> entries = new ArrayList<>();
                reads.forEach(f -> entries.addAll(f.result()));
                return new Page(sum, entries);
            });
        });
    }

    /**
     * Replays the given dead letters of one shard's queue, those still there: the same move as
     * {@link #replay}, for entries an operator chose. Answers how many were replayed.
     */
    public Future<Integer> replay(int shard, Channel channel, List<String> stored) {
        if (channel == null) {
            return replay.mailboxEntries(shard, stored);
        }
        return replayOutbox(shard, channel, stored.size(), stored);
    }
}

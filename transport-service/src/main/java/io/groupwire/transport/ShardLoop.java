package io.groupwire.transport;

import io.groupwire.core.fanout.FanoutBatch;
import io.groupwire.core.fanout.FanoutLedger;
import io.groupwire.core.json.Json;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.message.Message;
import io.groupwire.core.queue.QueueLoop;
import io.groupwire.core.queue.ReliableQueue;
import io.groupwire.core.queue.Round;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one shard's mailbox while this instance holds its lease: claim a batch, drop what is
 * older than the TTL, resolve each group's route, plan the deliveries, and write them with the
 * claims' acknowledgement in one ledger-guarded step. Batches of one shard run one after another,
 * which keeps each group's messages in order.
 *
 * <p>A batch that fails (Redis unreachable) stays claimed and is retried as is, so nothing is
 * skipped; if the lease is lost meanwhile, the next owner finds it in the in-flight list.
 */
final class ShardLoop extends QueueLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ShardLoop.class);

    private final ReliableQueue mailbox;
    private final FanoutLedger ledger;
    private final RouteResolver routes;
    private final TransportConfig config;
    private final TransportMetrics metrics;
    private final Clock clock;
    private List<String> pending = List.of();

    ShardLoop(Vertx vertx, ReliableQueue mailbox, FanoutLedger ledger, RouteResolver routes, TransportConfig config,
              TransportMetrics metrics, SmsSenderNumbers senders, Clock clock) {
        super(vertx, mailbox.keys().queue(), config.idlePoll());
        this.mailbox = mailbox;
        this.ledger = ledger;
        this.routes = routes;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.senders = senders;
    }

    private final SmsSenderNumbers senders;

    @Override
    protected Future<Round> round() {
        // after a failure, the same batch again: nothing claimed is skipped
        Future<List<String>> batch = pending.isEmpty() ? mailbox.claim(config.batchSize()) : Future.succeededFuture(pending);
        return batch.compose(entries -> {
            pending = entries;
            if (entries.isEmpty()) {
                return Future.succeededFuture(Round.IDLE);
            }
            return process(entries).map(v -> {
                pending = List.of();
                return new Round.Continue(entries.size());
            });
        });
    }

    @Override
    protected void leaseLost() {
        pending = List.of();
    }

    private Future<Void> process(List<String> entries) {
        long now = clock.millis();
        List<Message> messages = new ArrayList<>(entries.size());
        for (String raw : entries) {
            messages.add(parse(raw));
        }
        return routes.refresh().compose(v -> {
            Map<String, Future<GroupRoute>> needed = new HashMap<>();
            for (Message m : messages) {
                if (m != null && m.ageMillis(now) <= config.messageTtl().toMillis()) {
                    needed.computeIfAbsent(m.groupId(), routes::route);
                }
            }
            return Future.all(new ArrayList<>(needed.values())).map(all -> needed);
        }).compose(needed -> {
            // plan every live message, then give its SMS their reply numbers (one call per SMS, in parallel)
            List<Future<List<Delivery>>> plans = new ArrayList<>(messages.size());
            for (Message m : messages) {
                plans.add(m == null || m.ageMillis(now) > config.messageTtl().toMillis() ? Future.succeededFuture(List.of())
                        : senders.apply(FanoutPlanner.plan(m, needed.get(m.groupId()).result())));
            }
            return Future.all(plans).map(all -> plans);
        }).compose(plans -> {
            FanoutBatch batch = new FanoutBatch();
            int expired = 0;
            int dead = 0;
            int planned = 0;
            for (int i = 0; i < entries.size(); i++) {
                Message m = messages.get(i);
                String raw = entries.get(i);
                if (m == null) {
                    batch.dead(raw);
                    dead++;
                } else if (m.ageMillis(now) > config.messageTtl().toMillis()) {
                    batch.drop(raw, m.id());
                    expired++;
                } else {
                    List<Delivery> ds = plans.get(i).result();
                    planned += ds.size();
                    batch.fan(raw, m.id(), ds);
                }
            }
            int expiredCount = expired;
            int deadCount = dead;
            int plannedCount = planned;
            return ledger.apply(batch).map(written -> {
                record(batch, written, expiredCount, deadCount, plannedCount);
                return null;
            });
        });
    }

    private void record(FanoutBatch batch, List<Integer> written, int expired, int dead, int planned) {
        int total = 0;
        List<FanoutBatch.Item> items = batch.items();
        for (int i = 0; i < items.size(); i++) {
            FanoutBatch.Item item = items.get(i);
            if (item.disposition() == FanoutBatch.Disposition.FAN) {
                metrics.fannedOut.increment();
                // count per channel only when the whole message was new; a partial re-run is rare
                if (written.get(i) == item.deliveries().size()) {
                    for (Delivery d : item.deliveries()) {
                        metrics.queued.get(d.channel()).increment();
                    }
                }
            }
            total += written.get(i);
        }
        metrics.expired.increment(expired);
        metrics.deadLettered.increment(dead);
        metrics.duplicates.increment(planned - total);
        if (dead > 0) {
            LOG.warn("{}: {} unreadable messages moved to the dead-letter list", mailbox.keys().queue(), dead);
        }
    }

    private static Message parse(String raw) {
        try {
            Message m = Json.read(raw, Message.class);
            return m.groupId() == null || m.senderId() == null || m.id() == null ? null : m;
        } catch (RuntimeException e) {
            return null;
        }
    }
}

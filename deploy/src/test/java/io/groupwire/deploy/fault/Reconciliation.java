package io.groupwire.deploy.fault;

import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.Shards;
import io.groupwire.sandbox.ReceivedDelivery;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Holds what was accepted against what every provider received, recipient by recipient. A
 * delivery the providers did not receive is accounted for only by its ledger: expired, failed
 * (refused for good, dead destination, dead-lettered) or ambiguous (SMS found mid-send after a
 * crash, not resent by policy). Anything else, still queued, still sending, or with no trace at
 * all, is pending while the run drains and lost when it has drained.
 */
final class Reconciliation {
    /** How one expected delivery ended, as far as the evidence shows. */
    enum Fate { DELIVERED, EXPIRED, FAILED, AMBIGUOUS, PENDING }

    /** Figures of one channel (or of all). */
    static final class Figures {
        long expected;
        long delivered;
        long expired;
        long failed;
        long ambiguous;
        long pending;
        /** Receipts beyond the first that no policy allows. */
        long duplicated;
        /** Push deliveries found mid-send and resent with their collapse id, as the policy says. */
        long resent;
        /** Receipts beyond the first of such resends: the device shows one notification. */
        long resentDuplicates;

        void add(Fate fate) {
            expected++;
            switch (fate) {
                case DELIVERED -> delivered++;
                case EXPIRED -> expired++;
                case FAILED -> failed++;
                case AMBIGUOUS -> ambiguous++;
                case PENDING -> pending++;
            }
        }

        void addAll(Figures o) {
            expected += o.expected;
            delivered += o.delivered;
            expired += o.expired;
            failed += o.failed;
            ambiguous += o.ambiguous;
            pending += o.pending;
            duplicated += o.duplicated;
            resent += o.resent;
            resentDuplicates += o.resentDuplicates;
        }
    }

    /** The outcome: figures per channel, unexpected receipts, and a few examples of what is pending. */
    /**
     * @param ambiguousBy deliveries found mid-send after a crash, by the worker whose mark was found
     *                    (the ledger's {@code amb-by:<id>}); read with the audit only
     */
    record Result(Map<String, Figures> byChannel, Figures total, long unexpected, List<String> pendingExamples,
                  Map<String, long[]> latencyMillis, Map<String, Long> ambiguousBy) {
    }

    private static long at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }

    private static final Pattern SEQ = Pattern.compile("#(\\d+)$");

    private final Redis redis;
    private final Shards shards;
    private final String runId;

    Reconciliation(Redis redis, Shards shards, String runId) {
        this.redis = redis;
        this.shards = shards;
        this.runId = runId;
    }

    /**
     * Reconciles. With {@code audit}, the ledger of every push delivery is read as well, to tell
     * resends after an ambiguous send (allowed for push) from duplicates; without it, receipts
     * beyond the first all count as duplicated (cheap enough to poll while draining).
     */
    Result run(Map<Integer, MessageSender.Accepted> accepted, List<ReceivedDelivery> received, boolean audit)
            throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        Map<String, long[]> latencies = new TreeMap<>();
        Map<String, List<Long>> samples = new HashMap<>();
        long unexpected = 0;
        Map<String, String> idBySeq = new HashMap<>();
        accepted.forEach((seq, a) -> idBySeq.put(Integer.toString(seq), a.id()));
        for (ReceivedDelivery r : received) {
            String messageId = r.messageId();
            if (messageId == null) {
                messageId = smsMessageId(r.payload(), idBySeq);
            }
            if (messageId == null) {
                unexpected++;
                continue;
            }
            if (counts.merge(key(messageId, r.channel(), r.address()), 1, Integer::sum) == 1) {
                // ids begin with the accept time in hex milliseconds
                long acceptedAt = Long.parseLong(messageId.substring(0, 12), 16);
                samples.computeIfAbsent(r.channel(), c -> new ArrayList<>()).add(r.receivedAtMillis() - acceptedAt);
            }
        }
        Map<String, Figures> byChannel = new TreeMap<>();
        for (Channel c : Channel.values()) {
            byChannel.put(c.id(), new Figures());
        }
        List<LedgerLookup> unreceived = new ArrayList<>();
        List<LedgerLookup> audited = new ArrayList<>();
        List<Integer> auditedCounts = new ArrayList<>();
        long expectedKeys = 0;
        for (MessageSender.Accepted a : accepted.values()) {
            for (Population.Address addr : Population.expected(a.group(), a.senderId())) {
                expectedKeys++;
                Figures f = byChannel.get(addr.channel());
                Integer n = counts.remove(key(a.id(), addr.channel(), addr.value()));
                if (n != null) {
                    f.add(Fate.DELIVERED);
                    if (audit && !addr.channel().equals("sms")) {
                        audited.add(new LedgerLookup(a, addr));
                        auditedCounts.add(n);
                    } else {
                        f.duplicated += n - 1;
                    }
                } else {
                    unreceived.add(new LedgerLookup(a, addr));
                }
            }
        }
        // what is left in counts was received but never expected: a wrong recipient, or a message never acknowledged
        unexpected += counts.values().stream().mapToLong(Integer::longValue).sum();
        lookUp(audited);
        for (int i = 0; i < audited.size(); i++) {
            Figures f = byChannel.get(audited.get(i).address().channel());
            int extra = auditedCounts.get(i) - 1;
            if (audited.get(i).resent) {
                f.resent++;
                f.resentDuplicates += extra;
            } else {
                f.duplicated += extra;
            }
        }
        List<String> pendingExamples = new ArrayList<>();
        lookUp(unreceived);
        for (int i = 0; i < unreceived.size(); i++) {
            LedgerLookup u = unreceived.get(i);
            Fate fate = fate(u.state, u.dropped);
            Figures f = byChannel.get(u.address().channel());
            f.add(fate);
            if (u.resent) {
                f.resent++;
            }
            if (fate == Fate.PENDING && pendingExamples.size() < 5) {
                pendingExamples.add(u.accepted().id() + " -> " + u.address().channel() + ":" + u.address().value()
                        + " (" + (u.state == null ? u.dropped ? "_expired" : "no ledger entry" : u.state) + ")");
            }
        }
        Map<String, Long> ambiguousBy = new TreeMap<>();
        for (List<LedgerLookup> looked : List.of(audited, unreceived)) {
            for (LedgerLookup u : looked) {
                if (u.ambiguousBy != null) {
                    ambiguousBy.merge(u.ambiguousBy, 1L, Long::sum);
                }
            }
        }
        Figures total = new Figures();
        byChannel.values().forEach(total::addAll);
        if (total.expected != expectedKeys) {
            throw new IllegalStateException("reconciliation miscounted: " + total.expected + " != " + expectedKeys);
        }
        samples.forEach((c, list) -> {
            long[] sorted = list.stream().mapToLong(Long::longValue).sorted().toArray();
            latencies.put(c, new long[] {at(sorted, 0.5), at(sorted, 0.99), sorted[sorted.length - 1]});
        });
        return new Result(byChannel, total, unexpected, pendingExamples, latencies, ambiguousBy);
    }

    private static String key(String messageId, String channel, String address) {
        return messageId + "|" + channel + "|" + address;
    }

    private String smsMessageId(String body, Map<String, String> idBySeq) {
        if (body == null || !body.contains(runId)) {
            return null;
        }
        Matcher m = SEQ.matcher(body.trim());
        return m.find() ? idBySeq.get(m.group(1)) : null;
    }

    /** An expected delivery and what its ledger says of it (state, expiry mark, ambiguity mark). */
    private static final class LedgerLookup {
        private final MessageSender.Accepted accepted;
        private final Population.Address address;
        private String state;
        private boolean dropped;
        private boolean resent;
        private String ambiguousBy;

        LedgerLookup(MessageSender.Accepted accepted, Population.Address address) {
            this.accepted = accepted;
            this.address = address;
        }

        MessageSender.Accepted accepted() {
            return accepted;
        }

        Population.Address address() {
            return address;
        }
    }

    /** Reads each delivery's ledger state, the transport's expiry mark and the ambiguity mark. */
    private void lookUp(List<LedgerLookup> items) throws Exception {
        int chunk = 2_000;
        for (int from = 0; from < items.size(); from += chunk) {
            List<LedgerLookup> part = items.subList(from, Math.min(items.size(), from + chunk));
            List<Future<Response>> states = new ArrayList<>(part.size());
            for (LedgerLookup u : part) {
                String ledger = Keys.ledger(shards.of(u.accepted().group().id()), u.accepted().id());
                String deliveryId = Delivery.idFor(u.accepted().id(), Channel.fromId(u.address().channel()), u.address().value());
                states.add(redis.send(Request.cmd(Command.HMGET).arg(ledger).arg(deliveryId).arg("_expired")
                        .arg("amb:" + deliveryId).arg("amb-by:" + deliveryId)));
            }
            Future.join(new ArrayList<>(states)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            for (int i = 0; i < part.size(); i++) {
                Response r = states.get(i).result();
                LedgerLookup u = part.get(i);
                u.state = r.get(0) == null ? null : r.get(0).toString();
                u.dropped = r.get(1) != null;
                u.resent = r.get(2) != null;
                u.ambiguousBy = r.get(3) == null ? null : markOwner(r.get(3).toString());
            }
        }
    }

    /** The worker of a mark {@code sending:<worker>:<ms>}. */
    static String markOwner(String mark) {
        int first = mark.indexOf(':');
        int last = mark.lastIndexOf(':');
        return first >= 0 && last > first ? mark.substring(first + 1, last) : mark;
    }

    static Fate fate(String state, boolean droppedByTransport) {
        if (state == null) {
            return droppedByTransport ? Fate.EXPIRED : Fate.PENDING;
        }
        return switch (state) {
            case "expired" -> Fate.EXPIRED;
            case "failed", "dead", "dead_letter" -> Fate.FAILED;
            case "ambiguous" -> Fate.AMBIGUOUS;
            // "sent" with nothing at the provider would be a lie in the ledger: never accounted for
            default -> Fate.PENDING;
        };
    }
}

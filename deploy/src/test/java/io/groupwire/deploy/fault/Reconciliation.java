package io.groupwire.deploy.fault;

import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.Shards;
import io.groupwire.core.sandbox.ReceivedDelivery;
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
        long duplicated;

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
        }
    }

    /** The outcome: figures per channel, unexpected receipts, and a few examples of what is pending. */
    record Result(Map<String, Figures> byChannel, Figures total, long unexpected, List<String> pendingExamples) {
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

    Result run(Map<Integer, MessageSender.Accepted> accepted, List<ReceivedDelivery> received) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
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
            counts.merge(key(messageId, r.channel(), r.address()), 1, Integer::sum);
        }
        Map<String, Figures> byChannel = new TreeMap<>();
        for (Channel c : Channel.values()) {
            byChannel.put(c.id(), new Figures());
        }
        List<Unreceived> unreceived = new ArrayList<>();
        long expectedKeys = 0;
        for (MessageSender.Accepted a : accepted.values()) {
            for (Population.Address addr : Population.expected(a.group(), a.senderId())) {
                expectedKeys++;
                Figures f = byChannel.get(addr.channel());
                Integer n = counts.remove(key(a.id(), addr.channel(), addr.value()));
                if (n != null) {
                    f.add(Fate.DELIVERED);
                    f.duplicated += n - 1;
                } else {
                    unreceived.add(new Unreceived(a, addr));
                }
            }
        }
        // what is left in counts was received but never expected: a wrong recipient, or a message never acknowledged
        unexpected += counts.values().stream().mapToLong(Integer::longValue).sum();
        List<String> pendingExamples = new ArrayList<>();
        List<Fate> fates = fates(unreceived);
        for (int i = 0; i < unreceived.size(); i++) {
            Unreceived u = unreceived.get(i);
            byChannel.get(u.address().channel()).add(fates.get(i));
            if (fates.get(i) == Fate.PENDING && pendingExamples.size() < 5) {
                pendingExamples.add(u.accepted().id() + " -> " + u.address().channel() + ":" + u.address().value()
                        + " (" + u.state() + ")");
            }
        }
        Figures total = new Figures();
        byChannel.values().forEach(total::addAll);
        if (total.expected != expectedKeys) {
            throw new IllegalStateException("reconciliation miscounted: " + total.expected + " != " + expectedKeys);
        }
        return new Result(byChannel, total, unexpected, pendingExamples);
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

    /** An expected delivery no provider received, and the ledger state found for it. */
    private static final class Unreceived {
        private final MessageSender.Accepted accepted;
        private final Population.Address address;
        private String state;

        Unreceived(MessageSender.Accepted accepted, Population.Address address) {
            this.accepted = accepted;
            this.address = address;
        }

        MessageSender.Accepted accepted() {
            return accepted;
        }

        Population.Address address() {
            return address;
        }

        String state() {
            return state;
        }
    }

    private List<Fate> fates(List<Unreceived> unreceived) throws Exception {
        List<Fate> out = new ArrayList<>(unreceived.size());
        int chunk = 2_000;
        for (int from = 0; from < unreceived.size(); from += chunk) {
            List<Unreceived> part = unreceived.subList(from, Math.min(unreceived.size(), from + chunk));
            List<Future<Response>> states = new ArrayList<>(part.size());
            for (Unreceived u : part) {
                String ledger = Keys.ledger(shards.of(u.accepted().group().id()), u.accepted().id());
                String deliveryId = Delivery.idFor(u.accepted().id(), Channel.fromId(u.address().channel()), u.address().value());
                states.add(redis.send(Request.cmd(Command.HMGET).arg(ledger).arg(deliveryId).arg("_expired")));
            }
            Future.join(new ArrayList<>(states)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            for (int i = 0; i < part.size(); i++) {
                Response r = states.get(i).result();
                String state = r.get(0) == null ? null : r.get(0).toString();
                boolean dropped = r.get(1) != null;
                part.get(i).state = state == null ? (dropped ? "_expired" : "no ledger entry") : state;
                out.add(fate(state, dropped));
            }
        }
        return out;
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

package io.groupwire.core.ledger;

import com.fasterxml.jackson.core.type.TypeReference;
import io.groupwire.core.json.Json;
import io.groupwire.core.message.AddressMask;
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
 * What happened to one message, read from its ledger: the message (group, sender, accepted at) and
 * each delivery (channel, masked address, recipient, state). The fan-out writes the message's and
 * each delivery's trace into the ledger beside the states ({@code _m}, {@code i:<delivery id>}),
 * addresses masked before they reach Redis; the trace lasts as long as the ledger
 * ({@code GROUPWIRE_SETTLED_LEDGER_TTL} once every delivery settled).
 */
public final class MessageTrace {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    private MessageTrace() {
    }

    /** One delivery as the trace shows it; {@code sendingSinceMillis} is set while a pacer holds it mid-send. */
    public record DeliveryTrace(String id, String channel, String address, String recipientId, String state,
                                String worker, long sendingSinceMillis, boolean resent) {
    }

    /**
     * A message's trace. {@code found} is false when no shard has its ledger (never accepted, or
     * its ledger expired); {@code expired} says the transport dropped it for its age.
     */
    public record Trace(String messageId, boolean found, int shard, boolean expired, String groupId, String senderId,
                        long acceptedAtMillis, long open, List<DeliveryTrace> deliveries) {
    }

    /** The fan-out's trace of a message, from one of its deliveries. */
    public static String messageTrace(Delivery d) {
        return Json.write(List.of(nz(d.groupId()), nz(d.senderId()), Long.toString(d.acceptedAtMillis())));
    }

    /** The fan-out's trace of a delivery: channel, masked address, recipient. */
    public static String deliveryTrace(Delivery d) {
        return Json.write(List.of(d.channel().id(), AddressMask.mask(d.channel(), d.address()), nz(d.recipientId())));
    }

    /** Looks the message's ledger up on every shard (one HGETALL each, sent together). */
    public static Future<Trace> read(Redis redis, int shards, String messageId) {
        List<Future<Response>> reads = new ArrayList<>(shards);
        for (int s = 0; s < shards; s++) {
            reads.add(redis.send(Request.cmd(Command.HGETALL).arg(Keys.ledger(s, messageId))));
        }
        return Future.all(reads).map(all -> {
            for (int s = 0; s < shards; s++) {
                Response r = reads.get(s).result();
                if (r != null && r.size() > 0) {
                    return parse(messageId, s, r);
                }
            }
            return new Trace(messageId, false, -1, false, null, null, 0, 0, List.of());
        });
    }

    private static Trace parse(String messageId, int shard, Response ledger) {
        List<String> message = ledger.containsKey("_m") ? strings(ledger.get("_m").toString()) : List.of("", "", "0");
        List<DeliveryTrace> deliveries = new ArrayList<>();
        for (String field : ledger.getKeys()) {
            if (field.startsWith("_") || field.startsWith("i:") || field.startsWith("amb:")) {
                continue;
            }
            String state = ledger.get(field).toString();
            String worker = null;
            long since = 0;
            if (state.startsWith("sending:")) {
                int last = state.lastIndexOf(':');
                worker = state.substring("sending:".length(), last);
                since = Long.parseLong(state.substring(last + 1));
                state = "sending";
            }
            List<String> info = ledger.containsKey("i:" + field) ? strings(ledger.get("i:" + field).toString())
                    : List.of("", "", "");
            deliveries.add(new DeliveryTrace(field, info.get(0), info.get(1), info.get(2), state, worker, since,
                    ledger.containsKey("amb:" + field)));
        }
        deliveries.sort(java.util.Comparator.comparing(DeliveryTrace::channel).thenComparing(DeliveryTrace::recipientId));
        long open = ledger.containsKey("_open") ? ledger.get("_open").toLong() : 0;
        return new Trace(messageId, true, shard, ledger.containsKey("_expired"), message.get(0), message.get(1),
                Long.parseLong(message.get(2)), open, deliveries);
    }

    private static List<String> strings(String json) {
        try {
            return Json.mapper().readValue(json, STRINGS);
        } catch (Exception e) {
            return List.of("", "", "0");
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}

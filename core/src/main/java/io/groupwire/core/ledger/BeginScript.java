package io.groupwire.core.ledger;

import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The typed side of {@code begin.lua}: marks claimed deliveries {@code sending} in their messages'
 * ledgers and answers a {@link Verdict} for each, optionally after replicas acknowledged the marks.
 */
final class BeginScript {
    private static final LuaScript SCRIPT = LuaScript.load("begin");

    private final Redis redis;
    private final int shard;
    private final String worker;
    private final int replicas;
    private final long waitMillis;

    /** With {@code replicas > 0}, the answer waits (at most {@code waitMillis}) until that many replicas have the marks. */
    BeginScript(Redis redis, int shard, String worker, int replicas, long waitMillis) {
        this.redis = redis;
        this.shard = shard;
        this.worker = worker;
        this.replicas = replicas;
        this.waitMillis = waitMillis;
    }

    /**
     * Marks each (message id, delivery id) pair and answers the verdicts in the caller's order.
     *
     * @param repeatedMillis the time of the begin this one repeats, 0 for none
     */
    Future<List<Verdict>> run(List<String> messageIds, List<String> deliveryIds, long nowMillis, long repeatedMillis) {
        // one ledger per message, each named once: the script reads and marks a ledger's deliveries
        // with one HMGET and one HSET; the verdicts come back in grouped order and are put back in
        // the caller's order here
        Map<String, List<Integer>> byMessage = new LinkedHashMap<>();
        for (int i = 0; i < messageIds.size(); i++) {
            byMessage.computeIfAbsent(messageIds.get(i), m -> new ArrayList<>(4)).add(i);
        }
        List<String> keys = new ArrayList<>(byMessage.size());
        List<String> args = new ArrayList<>(deliveryIds.size() + byMessage.size() + 3);
        int[] callerIndex = new int[deliveryIds.size()];
        int sent = 0;
        args.add(worker);
        args.add(Long.toString(nowMillis));
        args.add(Long.toString(repeatedMillis));
        for (Map.Entry<String, List<Integer>> ledger : byMessage.entrySet()) {
            keys.add(Keys.ledger(shard, ledger.getKey()));
            args.add(Integer.toString(ledger.getValue().size()));
            for (int i : ledger.getValue()) {
                args.add(deliveryIds.get(i));
                callerIndex[sent++] = i;
            }
        }
        return SCRIPT.runReplicated(redis, keys, args, replicas, waitMillis).map(r -> {
            Verdict[] out = new Verdict[callerIndex.length];
            for (int j = 0; j < callerIndex.length; j++) {
                out[callerIndex[j]] = verdict(r.get(j).toString());
            }
            return List.of(out);
        });
    }

    private static Verdict verdict(String v) {
        return switch (v) {
            case "go" -> Verdict.GO;
            case "ambiguous" -> Verdict.AMBIGUOUS;
            case "done" -> Verdict.DONE;
            case "gone" -> Verdict.GONE;
            default -> throw new IllegalStateException("begin answered " + v);
        };
    }
}

package io.groupwire.core.queue;

import io.vertx.core.Future;
import java.util.List;
import java.util.function.Function;

/**
 * How a script is told which claims to acknowledge (ack.lua, complete.lua). Claims are normally
 * acknowledged in claim order, so the usual form names the in-flight list's head run by its count
 * and its two ends (entries carry their message or delivery id, so matching ends at the right
 * distance are the run claimed); when the script finds the head is not that run, it answers
 * {@link #NOT_HEAD_RUN} having done nothing, and the call is repeated naming every entry.
 *
 * @param mode the script's mode argument, {@code run} or {@code each}
 * @param args the acknowledgement arguments: count, first entry, last entry; or every entry
 */
public record Acknowledgement(String mode, List<String> args) {
    /** A script's answer when the caller no longer holds the lease; nothing was done. */
    public static final int LEASE_NOT_HELD = -1;
    /** A script's answer when the head of the in-flight list is not the named run; nothing was done. */
    public static final int NOT_HEAD_RUN = -2;

    public Acknowledgement {
        args = List.copyOf(args);
    }

    /** The claims as the head run of the in-flight list: their count and their two ends. */
    public static Acknowledgement headRun(List<String> entries) {
        return new Acknowledgement("run", List.of(Integer.toString(entries.size()), entries.get(0),
                entries.get(entries.size() - 1)));
    }

    /** Every claim, to be removed wherever it is. */
    public static Acknowledgement each(List<String> entries) {
        return new Acknowledgement("each", entries);
    }

    /**
     * Acknowledges {@code entries} (not empty) through {@code script}, which runs the script with the
     * acknowledgement given and completes with its answer: first as the head run, then, if the script
     * answers {@link #NOT_HEAD_RUN}, entry by entry. Completes with the number acknowledged, or fails
     * with {@link LeaseLostException} naming {@code queue} when the lease is not held.
     */
    public static Future<Integer> acknowledge(List<String> entries, String queue,
                                              Function<Acknowledgement, Future<Integer>> script) {
        return acknowledge(entries, queue, true, script);
    }

    /**
     * As above; a caller that knows {@code entries} are not the head run (say, outcomes recorded as
     * they arrive, out of claim order) passes {@code headRun} false and saves the round trip that
     * would find it out: the entries are named one by one at once.
     */
    public static Future<Integer> acknowledge(List<String> entries, String queue, boolean headRun,
                                              Function<Acknowledgement, Future<Integer>> script) {
        Future<Integer> answer = headRun
                ? script.apply(headRun(entries))
                        .compose(n -> n == NOT_HEAD_RUN ? script.apply(each(entries)) : Future.succeededFuture(n))
                : script.apply(each(entries));
        return answer.compose(n -> n < 0 ? Future.failedFuture(new LeaseLostException(queue)) : Future.succeededFuture(n));
    }
}

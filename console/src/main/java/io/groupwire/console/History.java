package io.groupwire.console;

import io.groupwire.core.message.Channel;
import io.groupwire.core.report.FigureNames;
import io.groupwire.core.report.Figures;
import io.groupwire.core.report.Percentiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The console's memory of the merged figures: the last five minutes second by second and the last
 * hour ten seconds at a time, as the charts show them, and the percentiles over each span, computed
 * from the merged histograms. Used on the sampler's context only.
 */
final class History {
    static final int SECONDS = 300;
    static final int WINDOWS = 360;

    private final Deque<Figures> seconds = new ArrayDeque<>();
    private final Deque<Figures> windows = new ArrayDeque<>();

    void addSecond(Figures f) {
        add(seconds, f, SECONDS);
    }

    void addWindow(Figures f) {
        add(windows, f, WINDOWS);
    }

    private static void add(Deque<Figures> ring, Figures f, int max) {
        if (!ring.isEmpty() && ring.peekLast().start() >= f.start()) {
            return;
        }
        ring.addLast(f);
        while (ring.size() > max) {
            ring.removeFirst();
        }
    }

    /** One chart point: per channel the rate of each outcome and the latency percentiles (ms), and the gateway's rates. */
    static JsonObject point(Figures f) {
        double per = Math.max(1, f.seconds());
        JsonObject channels = new JsonObject();
        for (Channel c : Channel.values()) {
            JsonObject rates = new JsonObject();
            for (String outcome : FigureNames.OUTCOMES) {
                rates.put(outcome, f.count(FigureNames.of(c, outcome)) / per);
            }
            Percentiles p = Percentiles.of(f.latency(c.id()));
            channels.put(c.id(), new JsonObject().put("rate", rates)
                    .put("p", p.count() == 0 ? null : new JsonArray(List.of(p.p50(), p.p99(), p.p999()))));
        }
        return new JsonObject().put("t", f.start()).put("ch", channels)
                .put("accepted", f.count(FigureNames.ACCEPTED) / per)
                .put("refused", f.count(FigureNames.REFUSED) / per)
                .put("unavailable", f.count(FigureNames.UNAVAILABLE) / per);
    }

    JsonArray secondPoints() {
        JsonArray a = new JsonArray();
        seconds.forEach(f -> a.add(point(f)));
        return a;
    }

    JsonArray windowPoints() {
        JsonArray a = new JsonArray();
        windows.forEach(f -> a.add(point(f)));
        return a;
    }

    /** Per channel, percentiles and counts over the last five minutes and the last hour. */
    JsonObject summary() {
        return new JsonObject().put("5m", span(seconds)).put("1h", span(windows));
    }

    private static JsonObject span(Deque<Figures> ring) {
        JsonObject out = new JsonObject();
        long spanSeconds = ring.stream().mapToLong(Figures::seconds).sum();
        for (Channel c : Channel.values()) {
            Histogram merged = null;
            long sent = 0;
            for (Figures f : ring) {
                Histogram h = f.latency().get(c.id());
                if (h != null) {
                    if (merged == null) {
                        merged = h.copy();
                    } else {
                        merged.add(h);
                    }
                }
                sent += f.count(FigureNames.of(c, "sent"));
            }
            Percentiles p = merged == null ? Percentiles.of(new Histogram(2)) : Percentiles.of(merged);
            out.put(c.id(), new JsonObject().put("count", p.count()).put("p50", p.p50()).put("p99", p.p99())
                    .put("p999", p.p999()).put("max", p.max())
                    .put("rate", spanSeconds == 0 ? 0 : (double) sent / spanSeconds));
        }
        return out;
    }
}

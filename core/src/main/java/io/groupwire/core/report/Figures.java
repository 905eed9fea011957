package io.groupwire.core.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.groupwire.core.json.Json;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one instance did in one period (a second, or ten), or what several did together once
 * {@link #merge merged}: counts by name ({@link FigureNames}) and, per channel, the accept-to-provider
 * latencies in microseconds. Merging adds counts and histograms, so percentiles of merged figures are
 * exact, not averages of percentiles.
 *
 * @param start   the period's first epoch second
 * @param seconds how long the period is
 */
public record Figures(long start, int seconds, Map<String, Long> counts, Map<String, Histogram> latency) {

    public Figures {
        counts = new TreeMap<>(counts);
        latency = new TreeMap<>(latency);
    }

    public static Figures empty(long start, int seconds) {
        return new Figures(start, seconds, Map.of(), Map.of());
    }

    public long count(String name) {
        return counts.getOrDefault(name, 0L);
    }

    /** The latencies of one channel; an empty histogram when none was recorded. */
    public Histogram latency(String channel) {
        Histogram h = latency.get(channel);
        return h != null ? h : new Histogram(io.groupwire.core.metrics.LatencyTapRegistry.SIGNIFICANT_DIGITS);
    }

    /** These figures plus others' (counts and histograms added); the period is this one's. */
    public Figures plus(Figures other) {
        Map<String, Long> c = new TreeMap<>(counts);
        other.counts.forEach((k, v) -> c.merge(k, v, Long::sum));
        Map<String, Histogram> l = new TreeMap<>();
        latency.forEach((k, h) -> l.put(k, h.copy()));
        other.latency.forEach((k, h) -> l.merge(k, h.copy(), (a, b) -> {
            a.add(b);
            return a;
        }));
        return new Figures(start, seconds, c, l);
    }

    /** The sum of several instances' or periods' figures, labelled with the given period. */
    public static Figures merge(long start, int seconds, Collection<Figures> all) {
        Figures sum = empty(start, seconds);
        for (Figures f : all) {
            sum = sum.plus(f);
        }
        return sum;
    }

    /** The stored form: JSON with the counts that are not zero and each histogram {@link HistogramCodec encoded}. */
    public String encode() {
        Map<String, Long> nonZero = new TreeMap<>();
        counts.forEach((k, v) -> {
            if (v != 0) {
                nonZero.put(k, v);
            }
        });
        Map<String, String> h = new TreeMap<>();
        latency.forEach((k, v) -> h.put(k, HistogramCodec.encode(v)));
        return Json.write(new Stored(start, seconds, nonZero, h));
    }

    /** Reads {@link #encode}'s form; malformed text raises {@link IllegalArgumentException}. */
    public static Figures decode(String text) {
        Stored s = Json.read(text, Stored.class);
        Map<String, Histogram> l = new TreeMap<>();
        if (s.latency() != null) {
            s.latency().forEach((k, v) -> l.put(k, HistogramCodec.decode(v)));
        }
        return new Figures(s.start(), s.seconds(), s.counts() == null ? Map.of() : s.counts(), l);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return counts.values().stream().allMatch(v -> v == 0) && latency.isEmpty();
    }

    /** The JSON shape, short names because a copy is stored per instance and second. */
    record Stored(@JsonProperty("t") long start, @JsonProperty("s") int seconds,
                  @JsonProperty("c") Map<String, Long> counts, @JsonProperty("h") Map<String, String> latency) {
    }
}

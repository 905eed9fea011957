package io.groupwire.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Percentiles of merged instance figures are those of one histogram holding every value: merged, not averaged. */
class MergedPercentilesTest {

    @Test
    void mergedPercentilesEqualThoseOfTheMergedHistogram() {
        // two pacers with very different seconds: one fast (1..1000 ms), one slow (a tail up to 5 s)
        Histogram fast = histogram();
        Histogram slow = histogram();
        Histogram all = histogram();
        for (long ms = 1; ms <= 1000; ms++) {
            fast.recordValue(ms * 1000);
            all.recordValue(ms * 1000);
        }
        for (long ms = 100; ms <= 5000; ms += 50) {
            slow.recordValue(ms * 1000);
            all.recordValue(ms * 1000);
        }
        // through the stored form, as the console reads them
        Figures a = Figures.decode(new Figures(100, 1, Map.of("apns.sent", 1000L), Map.of("apns", fast)).encode());
        Figures b = Figures.decode(new Figures(100, 1, Map.of("apns.sent", 99L), Map.of("apns", slow)).encode());
        Figures merged = Figures.merge(100, 1, List.of(a, b));

        Percentiles p = Percentiles.of(merged.latency("apns"));
        Percentiles expected = Percentiles.of(all);
        assertEquals(expected, p);
        assertEquals(1099, p.count());
        assertEquals(1099L, merged.count("apns.sent"));
        // and the known values themselves, within the histogram's 1% precision
        assertEquals(550, p.p50(), 550 * 0.01);
        // the 1089th of 1099 values is the slow instance's eleventh largest, 4.5 s
        assertEquals(4500, p.p99(), 4500 * 0.01);
        // averaging the two instances' p99 (about 0.99 s and 5 s) would have said about 3 s
        double averaged = (Percentiles.of(fast).p99() + Percentiles.of(slow).p99()) / 2;
        assertEquals(3000, averaged, 50);
    }

    @Test
    void aSecondOfFiguresIsSmallWhenStored() {
        Histogram h = histogram();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 5000; i++) {
            h.recordValue(2_000 + (long) (Math.abs(random.nextGaussian()) * 40_000));
        }
        String stored = new Figures(1, 1, Map.of("apns.sent", 5000L, "apns.retried", 12L), Map.of("apns", h)).encode();
        // a few hundred bytes: the per-second cost of an instance stays small
        org.junit.jupiter.api.Assertions.assertTrue(stored.length() < 1500, stored.length() + " bytes");
        assertEquals(5000, Figures.decode(stored).latency("apns").getTotalCount());
    }

    private static Histogram histogram() {
        return new Histogram(io.groupwire.core.metrics.LatencyTapRegistry.SIGNIFICANT_DIGITS);
    }
}

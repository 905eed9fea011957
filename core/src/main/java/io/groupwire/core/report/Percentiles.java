package io.groupwire.core.report;

import org.HdrHistogram.Histogram;

/**
 * The percentiles the console shows, in milliseconds, of a latency histogram in microseconds.
 *
 * @param count how many values the histogram holds (0: the percentiles are 0 and mean nothing)
 */
public record Percentiles(long count, double p50, double p99, double p999, double max) {

    public static Percentiles of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new Percentiles(0, 0, 0, 0, 0);
        }
        return new Percentiles(micros.getTotalCount(), ms(micros.getValueAtPercentile(50)),
                ms(micros.getValueAtPercentile(99)), ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}

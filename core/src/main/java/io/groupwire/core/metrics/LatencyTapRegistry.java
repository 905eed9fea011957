package io.groupwire.core.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A service's Prometheus registry whose delivery-latency timers ({@link MetricNames#DELIVERY_LATENCY})
 * also record every value, in microseconds, into an HdrHistogram {@link Recorder} per channel. The
 * instance report ({@code core.report.InstanceReporter}) takes one interval histogram per channel
 * each second from here, so that the console can merge the instances' histograms exactly instead
 * of averaging their percentiles. The service records through its timer as before; nothing else
 * changes for it or for {@code /metrics}, which renders the registry's own timer.
 */
public final class LatencyTapRegistry extends PrometheusMeterRegistry {
    /** Two significant digits: a percentile is within 1% of the true value, and a second's histogram stays small. */
    public static final int SIGNIFICANT_DIGITS = 2;

    private final Map<String, Recorder> recorders = new ConcurrentHashMap<>();

    public LatencyTapRegistry() {
        super(PrometheusConfig.DEFAULT);
    }

    @Override
    protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
        Timer timer = super.newTimer(id, config, pauseDetector);
        if (!id.getName().equals(MetricNames.DELIVERY_LATENCY)) {
            return timer;
        }
        String channel = id.getTag("channel") == null ? "" : id.getTag("channel");
        return new TeeTimer(timer, recorders.computeIfAbsent(channel, c -> new Recorder(SIGNIFICANT_DIGITS)));
    }

    /**
     * Per channel, the latencies recorded since the previous call, in microseconds (a channel with
     * nothing recorded is left out). Each call starts a new interval.
     */
    public synchronized Map<String, Histogram> intervals() {
        Map<String, Histogram> out = new TreeMap<>();
        recorders.forEach((channel, recorder) -> {
            Histogram h = recorder.getIntervalHistogram();
            if (h.getTotalCount() > 0) {
                out.put(channel, h);
            }
        });
        return out;
    }

    /** The registry's timer, and every value recorded through it into the recorder as well. */
    private static final class TeeTimer implements Timer {
        private final Timer timer;
        private final Recorder recorder;

        TeeTimer(Timer timer, Recorder recorder) {
            this.timer = timer;
            this.recorder = recorder;
        }

        @Override
        public void record(long amount, TimeUnit unit) {
            timer.record(amount, unit);
            if (amount >= 0) {
                recorder.recordValue(unit.toMicros(amount));
            }
        }

        @Override
        public <T> T record(Supplier<T> f) {
            long start = System.nanoTime();
            try {
                return f.get();
            } finally {
                record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public <T> T recordCallable(java.util.concurrent.Callable<T> f) throws Exception {
            long start = System.nanoTime();
            try {
                return f.call();
            } finally {
                record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void record(Runnable f) {
            long start = System.nanoTime();
            try {
                f.run();
            } finally {
                record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public long count() {
            return timer.count();
        }

        @Override
        public double totalTime(TimeUnit unit) {
            return timer.totalTime(unit);
        }

        @Override
        public double max(TimeUnit unit) {
            return timer.max(unit);
        }

        @Override
        public TimeUnit baseTimeUnit() {
            return timer.baseTimeUnit();
        }

        @Override
        public HistogramSnapshot takeSnapshot() {
            return timer.takeSnapshot();
        }

        @Override
        public Id getId() {
            return timer.getId();
        }
    }
}

package io.groupwire.sandbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The faults the sandbox providers inject, per channel, changeable at run time (the sandbox's
 * {@code POST /sandbox/faults}). Each sandbox asks {@link #decide} once per request and acts it out.
 */
public final class SandboxFaults {
    private final Map<String, FaultSpec> specs = new ConcurrentHashMap<>();

    /**
     * Faults of one channel. Rates are probabilities in [0, 1], drawn independently per request in
     * the order drop, error, throttle.
     *
     * @param errorRate         answer with a server error (APNs 500/503, FCM 503 UNAVAILABLE, SMS 500)
     * @param throttleRate      answer 429 with {@code Retry-After: retryAfterSeconds}
     * @param retryAfterSeconds the Retry-After of throttled answers
     * @param dropRate          close the connection without answering (after reading the request)
     * @param latencyMillis     delay every answer by this much
     */
    public record FaultSpec(double errorRate, double throttleRate, int retryAfterSeconds, double dropRate,
                            int latencyMillis) {
        public static final FaultSpec NONE = new FaultSpec(0, 0, 1, 0, 0);

        public FaultSpec {
            check("error_rate", errorRate);
            check("throttle_rate", throttleRate);
            check("drop_rate", dropRate);
            if (retryAfterSeconds < 0 || retryAfterSeconds > 3600) {
                throw new IllegalArgumentException("retry_after_seconds must be between 0 and 3600");
            }
            if (latencyMillis < 0 || latencyMillis > 60_000) {
                throw new IllegalArgumentException("latency_millis must be between 0 and 60000");
            }
        }

        private static void check(String name, double rate) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException(name + " must be between 0 and 1");
            }
        }
    }

    /** What a sandbox does with one request. */
    public enum Action { ACCEPT, ERROR, THROTTLE, DROP }

    public void set(String channel, FaultSpec spec) {
        specs.put(channel, spec);
    }

    public FaultSpec get(String channel) {
        return specs.getOrDefault(channel, FaultSpec.NONE);
    }

    public Map<String, FaultSpec> all() {
        return Map.copyOf(specs);
    }

    public void clear() {
        specs.clear();
    }

    public Action decide(String channel) {
        FaultSpec s = get(channel);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        if (s.dropRate() > 0 && r.nextDouble() < s.dropRate()) {
            return Action.DROP;
        }
        if (s.errorRate() > 0 && r.nextDouble() < s.errorRate()) {
            return Action.ERROR;
        }
        if (s.throttleRate() > 0 && r.nextDouble() < s.throttleRate()) {
            return Action.THROTTLE;
        }
        return Action.ACCEPT;
    }
}

package io.groupwire.transport.events;

import io.groupwire.core.config.Env;
import io.groupwire.core.history.HistoryLimits;
import io.groupwire.core.redis.RedisSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Settings of the events role, from the environment ({@link #fromEnv}) or, in tests, from a
 * {@link #builder} at the same defaults.
 *
 * <ul>
 *   <li>{@code GROUPWIRE_EVENTS_PORT} (8083) and {@code GROUPWIRE_EVENTS_HOST} (127.0.0.1): /health and /metrics</li>
 *   <li>{@code GROUPWIRE_EVENTS_MAX_DELIVERIES} (5): an entry delivered this often goes to the dead letters</li>
 *   <li>{@code GROUPWIRE_EVENTS_CLAIM_IDLE} (30s): entries pending this long are claimed from their consumer</li>
 *   <li>{@code GROUPWIRE_EVENTS_POLL} (100ms): wait between reads of a stream with nothing new</li>
 *   <li>{@code GROUPWIRE_EVENTS_BATCH} (100): entries read per call</li>
 *   <li>{@code GROUPWIRE_MESSAGE_TTL} (2h): a like older than this is not notified</li>
 *   <li>{@code GROUPWIRE_WORKER_ID} (random): this instance's consumer name</li>
 *   <li>the history and stream limits of {@link HistoryLimits#fromEnv} and the Redis settings of {@link RedisSettings#fromEnv}</li>
 * </ul>
 */
public final class EventsConfig {
    private final RedisSettings redis;
    private final HistoryLimits limits;
    private final String host;
    private final int port;
    private final int maxDeliveries;
    private final Duration claimIdle;
    private final Duration poll;
    private final int batch;
    private final Duration messageTtl;
    private final String workerId;

    private EventsConfig(Builder b) {
        this.redis = Objects.requireNonNull(b.redis, "redis settings");
        this.limits = b.limits;
        this.host = b.host;
        this.port = b.port;
        this.maxDeliveries = b.maxDeliveries;
        this.claimIdle = b.claimIdle;
        this.poll = b.poll;
        this.batch = b.batch;
        this.messageTtl = b.messageTtl;
        this.workerId = b.workerId;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static EventsConfig fromEnv(Env env) {
        Builder d = builder();
        return builder()
                .redis(RedisSettings.fromEnv(env))
                .limits(HistoryLimits.fromEnv(env))
                .host(env.string("GROUPWIRE_EVENTS_HOST", d.host))
                .port(env.integer("GROUPWIRE_EVENTS_PORT", d.port))
                .maxDeliveries(env.integer("GROUPWIRE_EVENTS_MAX_DELIVERIES", d.maxDeliveries))
                .claimIdle(env.duration("GROUPWIRE_EVENTS_CLAIM_IDLE", d.claimIdle))
                .poll(env.duration("GROUPWIRE_EVENTS_POLL", d.poll))
                .batch(env.integer("GROUPWIRE_EVENTS_BATCH", d.batch))
                .messageTtl(env.duration("GROUPWIRE_MESSAGE_TTL", d.messageTtl))
                .workerId(env.string("GROUPWIRE_WORKER_ID", d.workerId))
                .build();
    }

    public RedisSettings redis() {
        return redis;
    }

    public HistoryLimits limits() {
        return limits;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public int maxDeliveries() {
        return maxDeliveries;
    }

    public Duration claimIdle() {
        return claimIdle;
    }

    public Duration poll() {
        return poll;
    }

    public int batch() {
        return batch;
    }

    public Duration messageTtl() {
        return messageTtl;
    }

    public String workerId() {
        return workerId;
    }

    /** As the transport's: past the TTL, so that no notification that may still be delivered loses its ledger. */
    public Duration ledgerTtl() {
        return messageTtl.plusHours(1);
    }

    /** Builds an {@link EventsConfig}; each setter names the setting of the same name. */
    public static final class Builder {
        private RedisSettings redis;
        private HistoryLimits limits = HistoryLimits.DEFAULTS;
        private String host = "127.0.0.1";
        private int port = 8083;
        private int maxDeliveries = 5;
        private Duration claimIdle = Duration.ofSeconds(30);
        private Duration poll = Duration.ofMillis(100);
        private int batch = 100;
        private Duration messageTtl = Duration.ofHours(2);
        private String workerId = "events-" + UUID.randomUUID().toString().substring(0, 8);

        private Builder() {
        }

        public Builder redis(RedisSettings v) {
            this.redis = v;
            return this;
        }

        public Builder limits(HistoryLimits v) {
            this.limits = v;
            return this;
        }

        public Builder host(String v) {
            this.host = v;
            return this;
        }

        public Builder port(int v) {
            this.port = v;
            return this;
        }

        public Builder maxDeliveries(int v) {
            this.maxDeliveries = v;
            return this;
        }

        public Builder claimIdle(Duration v) {
            this.claimIdle = v;
            return this;
        }

        public Builder poll(Duration v) {
            this.poll = v;
            return this;
        }

        public Builder batch(int v) {
            this.batch = v;
            return this;
        }

        public Builder messageTtl(Duration v) {
            this.messageTtl = v;
            return this;
        }

        public Builder workerId(String v) {
            this.workerId = v;
            return this;
        }

        public EventsConfig build() {
            return new EventsConfig(this);
        }
    }
}

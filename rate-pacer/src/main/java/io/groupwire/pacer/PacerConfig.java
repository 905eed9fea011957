package io.groupwire.pacer;

import io.groupwire.core.config.Env;
import io.groupwire.core.ledger.DeliveryLedger;
import io.groupwire.core.message.Channel;
import io.groupwire.core.redis.RedisSettings;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Settings of the rate pacer, from the environment ({@link #fromEnv}) or, in tests, from a
 * {@link #builder} that starts at the same defaults.
 *
 * <ul>
 *   <li>{@code GROUPWIRE_PACER_PORT} (8082): port of /health and /metrics; 0 picks a free one</li>
 *   <li>{@code GROUPWIRE_PACER_HOST} (127.0.0.1): address of the /health and /metrics port; loopback by default</li>
 *   <li>{@code GROUPWIRE_PACER_CHANNELS} (apns,fcm,sms): the outboxes this instance drains</li>
 *   <li>{@code GROUPWIRE_RATE_APNS} (5000/s), {@code GROUPWIRE_RATE_FCM} (9000/s: 90% of FCM's 600k/min
 *       project quota), {@code GROUPWIRE_RATE_SMS} (100 segments/s: a short code): the global rate</li>
 *   <li>{@code GROUPWIRE_BURST_APNS|FCM|SMS} (the rate): bucket capacity</li>
 *   <li>{@code GROUPWIRE_INFLIGHT_APNS|FCM|SMS} (1000, 1000, 64): concurrent requests per instance</li>
 *   <li>{@code GROUPWIRE_MESSAGE_TTL} (2h): deliveries older than this are dropped, not sent</li>
 *   <li>{@code GROUPWIRE_PACER_BATCH} (200): deliveries claimed per round trip</li>
 *   <li>{@code GROUPWIRE_RETRY_BASE} (1s) and {@code GROUPWIRE_RETRY_MAX} (5m): retry back-off bounds</li>
 *   <li>{@code GROUPWIRE_MAX_ATTEMPTS} (15): attempts before a delivery goes to the dead-letter list</li>
 *   <li>{@code GROUPWIRE_LEASE} (10s), {@code GROUPWIRE_IDLE_POLL} (20ms), {@code GROUPWIRE_WORKER_ID} (random)</li>
 *   <li>{@code GROUPWIRE_SETTLED_LEDGER_TTL} (60s): how long a message's ledger is kept once every delivery
 *       settled; longer lets an audit read each delivery's outcome, at ~50 bytes per delivery</li>
 *   <li>{@code GROUPWIRE_WAIT_REPLICAS} (0): when above 0, an SMS is sent only after this many replicas
 *       hold its {@code sending} mark (Redis WAIT), so that a failover cannot make the next owner send
 *       it again; the same variable makes the gateway wait before answering 202</li>
 *   <li>{@code GROUPWIRE_WAIT_TIMEOUT} (1s): how long to wait for those acknowledgements before trying again</li>
 *   <li>and the Redis settings of {@link RedisSettings#fromEnv}</li>
 * </ul>
 */
public final class PacerConfig {
    /** Default sustained rate per second and in-flight limit per channel; the burst defaults to the rate. */
    private static final Map<Channel, long[]> DEFAULTS = Map.of(
            Channel.APNS, new long[] {5000, 1000},
            Channel.FCM, new long[] {9000, 1000},
            Channel.SMS, new long[] {100, 64});

    private final RedisSettings redis;
    private final String host;
    private final int port;
    private final Set<Channel> channels;
    private final Map<Channel, ChannelLimit> limits;
    private final Duration messageTtl;
    private final int batchSize;
    private final Duration retryBase;
    private final Duration retryMax;
    private final int maxAttempts;
    private final Duration lease;
    private final Duration idlePoll;
    private final String workerId;
    private final Duration settledLedgerTtl;
    private final int waitReplicas;
    private final Duration waitTimeout;

    private PacerConfig(Builder b) {
        this.redis = Objects.requireNonNull(b.redis, "redis settings");
        this.host = b.host;
        this.port = b.port;
        this.channels = Set.copyOf(b.channels);
        this.limits = Map.copyOf(b.limits);
        this.messageTtl = b.messageTtl;
        this.batchSize = b.batchSize;
        this.retryBase = b.retryBase;
        this.retryMax = b.retryMax;
        this.maxAttempts = b.maxAttempts;
        this.lease = b.lease;
        this.idlePoll = b.idlePoll;
        this.workerId = b.workerId;
        this.settledLedgerTtl = b.settledLedgerTtl;
        this.waitReplicas = b.waitReplicas;
        this.waitTimeout = b.waitTimeout;
        if (waitReplicas < 0) {
            throw new IllegalArgumentException("GROUPWIRE_WAIT_REPLICAS must not be negative");
        }
    }

    /** A builder at the documented defaults; only the Redis settings have none. */
    public static Builder builder() {
        return new Builder();
    }

    public static PacerConfig fromEnv(Env env) {
        Set<Channel> channels = EnumSet.noneOf(Channel.class);
        for (String c : env.string("GROUPWIRE_PACER_CHANNELS", "apns,fcm,sms").split(",")) {
            if (!c.isBlank()) {
                channels.add(Channel.fromId(c.trim()));
            }
        }
        Builder defaults = builder();
        Builder b = builder();
        for (Channel c : Channel.values()) {
            String suffix = c.name().toUpperCase(Locale.ROOT);
            ChannelLimit fallback = defaults.limits.get(c);
            long rate = env.longValue("GROUPWIRE_RATE_" + suffix, fallback.perSecond());
            b.limit(c, new ChannelLimit(rate, env.longValue("GROUPWIRE_BURST_" + suffix, rate),
                    env.integer("GROUPWIRE_INFLIGHT_" + suffix, fallback.maxInflight())));
        }
        return b.redis(RedisSettings.fromEnv(env))
                .host(env.string("GROUPWIRE_PACER_HOST", defaults.host))
                .port(env.integer("GROUPWIRE_PACER_PORT", defaults.port))
                .channels(channels)
                .messageTtl(env.duration("GROUPWIRE_MESSAGE_TTL", defaults.messageTtl))
                .batchSize(env.integer("GROUPWIRE_PACER_BATCH", defaults.batchSize))
                .retryBase(env.duration("GROUPWIRE_RETRY_BASE", defaults.retryBase))
                .retryMax(env.duration("GROUPWIRE_RETRY_MAX", defaults.retryMax))
                .maxAttempts(env.integer("GROUPWIRE_MAX_ATTEMPTS", defaults.maxAttempts))
                .lease(env.duration("GROUPWIRE_LEASE", defaults.lease))
                .idlePoll(env.duration("GROUPWIRE_IDLE_POLL", defaults.idlePoll))
                .workerId(env.string("GROUPWIRE_WORKER_ID", defaults.workerId))
                .settledLedgerTtl(env.duration("GROUPWIRE_SETTLED_LEDGER_TTL", defaults.settledLedgerTtl))
                .waitReplicas(env.integer("GROUPWIRE_WAIT_REPLICAS", defaults.waitReplicas))
                .waitTimeout(env.duration("GROUPWIRE_WAIT_TIMEOUT", defaults.waitTimeout))
                .build();
    }

    public RedisSettings redis() {
        return redis;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public Set<Channel> channels() {
        return channels;
    }

    public Map<Channel, ChannelLimit> limits() {
        return limits;
    }

    public ChannelLimit limit(Channel c) {
        return limits.get(c);
    }

    public Duration messageTtl() {
        return messageTtl;
    }

    public int batchSize() {
        return batchSize;
    }

    public Duration retryBase() {
        return retryBase;
    }

    public Duration retryMax() {
        return retryMax;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration lease() {
        return lease;
    }

    public Duration idlePoll() {
        return idlePoll;
    }

    public String workerId() {
        return workerId;
    }

    public Duration settledLedgerTtl() {
        return settledLedgerTtl;
    }

    public int waitReplicas() {
        return waitReplicas;
    }

    public Duration waitTimeout() {
        return waitTimeout;
    }

    /** Builds a {@link PacerConfig}; each setter names the setting of the same name. */
    public static final class Builder {
        private RedisSettings redis;
        private String host = "127.0.0.1";
        private int port = 8082;
        private Set<Channel> channels = EnumSet.allOf(Channel.class);
        private final Map<Channel, ChannelLimit> limits = new EnumMap<>(Channel.class);
        private Duration messageTtl = Duration.ofHours(2);
        private int batchSize = 200;
        private Duration retryBase = Duration.ofSeconds(1);
        private Duration retryMax = Duration.ofMinutes(5);
        private int maxAttempts = 15;
        private Duration lease = Duration.ofSeconds(10);
        private Duration idlePoll = Duration.ofMillis(20);
        private String workerId = "pacer-" + UUID.randomUUID().toString().substring(0, 8);
        private Duration settledLedgerTtl = DeliveryLedger.DEFAULT_SETTLED_TTL;
        private int waitReplicas = 0;
        private Duration waitTimeout = Duration.ofSeconds(1);

        private Builder() {
            DEFAULTS.forEach((c, d) -> limits.put(c, new ChannelLimit(d[0], d[0], (int) d[1])));
        }

        public Builder redis(RedisSettings redis) {
            this.redis = redis;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The channels whose outboxes this instance drains. */
        public Builder channels(Set<Channel> channels) {
            this.channels = EnumSet.copyOf(channels);
            return this;
        }

        /** The limit of one channel; the others keep theirs. */
        public Builder limit(Channel channel, ChannelLimit limit) {
            limits.put(channel, Objects.requireNonNull(limit));
            return this;
        }

        /** The same limit for every channel. */
        public Builder limitEveryChannel(ChannelLimit limit) {
            for (Channel c : Channel.values()) {
                limit(c, limit);
            }
            return this;
        }

        public Builder messageTtl(Duration messageTtl) {
            this.messageTtl = messageTtl;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder retryBase(Duration retryBase) {
            this.retryBase = retryBase;
            return this;
        }

        public Builder retryMax(Duration retryMax) {
            this.retryMax = retryMax;
            return this;
        }

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder lease(Duration lease) {
            this.lease = lease;
            return this;
        }

        public Builder idlePoll(Duration idlePoll) {
            this.idlePoll = idlePoll;
            return this;
        }

        public Builder workerId(String workerId) {
            this.workerId = workerId;
            return this;
        }

        public Builder settledLedgerTtl(Duration settledLedgerTtl) {
            this.settledLedgerTtl = settledLedgerTtl;
            return this;
        }

        public Builder waitReplicas(int waitReplicas) {
            this.waitReplicas = waitReplicas;
            return this;
        }

        public Builder waitTimeout(Duration waitTimeout) {
            this.waitTimeout = waitTimeout;
            return this;
        }

        public PacerConfig build() {
            return new PacerConfig(this);
        }
    }
}

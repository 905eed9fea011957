package io.groupwire.transport;

import io.groupwire.core.reply.NumberPool;
import io.groupwire.core.config.Env;
import io.groupwire.core.redis.RedisSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Settings of the transport service, from the environment ({@link #fromEnv}) or, in tests, from
 * a {@link #builder} that starts at the same defaults.
 *
 * <ul>
 *   <li>{@code GROUPWIRE_TRANSPORT_PORT} (8081): port of /health and /metrics; 0 picks a free one</li>
 *   <li>{@code GROUPWIRE_TRANSPORT_HOST} (127.0.0.1): address of that port; loopback by default, since
 *       /metrics is for the operator's scraper, not for anyone who can reach the host</li>
 *   <li>{@code GROUPWIRE_MESSAGE_TTL} (2h): older messages are dropped, not delivered</li>
 *   <li>{@code GROUPWIRE_TRANSPORT_BATCH} (200): messages claimed per round trip</li>
 *   <li>{@code GROUPWIRE_LEASE} (10s): how long a dead instance's shards stay unclaimed</li>
 *   <li>{@code GROUPWIRE_IDLE_POLL} (20ms): longest wait between claims of an empty mailbox</li>
 *   <li>{@code GROUPWIRE_WORKER_ID} (random): this instance's name in leases</li>
 *   <li>{@code GROUPWIRE_SMS_NUMBERS} (or {@code _FILE}): the pool of reply numbers SMS go out from;
 *       unset, the pool is {@code GROUPWIRE_TWILIO_FROM} alone, and unset too, SMS carry no sender</li>
 *   <li>and the Redis settings of {@link RedisSettings#fromEnv}</li>
 * </ul>
 */
public final class TransportConfig {
    private final RedisSettings redis;
    private final String host;
    private final int port;
    private final Duration messageTtl;
    private final int batchSize;
    private final Duration lease;
    private final Duration idlePoll;
    private final String workerId;
    private final NumberPool numberPool;

    private TransportConfig(Builder b) {
        this.redis = Objects.requireNonNull(b.redis, "redis settings");
        this.host = b.host;
        this.port = b.port;
        this.messageTtl = b.messageTtl;
        this.batchSize = b.batchSize;
        this.lease = b.lease;
        this.idlePoll = b.idlePoll;
        this.workerId = b.workerId;
        this.numberPool = b.numberPool;
    }

    /** The reply-number pool, or null. */
    public NumberPool numberPool() {
        return numberPool;
    }

    /** A builder at the documented defaults; only the Redis settings have none. */
    public static Builder builder() {
        return new Builder();
    }

    public static TransportConfig fromEnv(Env env) {
        Builder defaults = builder();
        return builder()
                .redis(RedisSettings.fromEnv(env))
                .host(env.string("GROUPWIRE_TRANSPORT_HOST", defaults.host))
                .port(env.integer("GROUPWIRE_TRANSPORT_PORT", defaults.port))
                .messageTtl(env.duration("GROUPWIRE_MESSAGE_TTL", defaults.messageTtl))
                .batchSize(env.integer("GROUPWIRE_TRANSPORT_BATCH", defaults.batchSize))
                .lease(env.duration("GROUPWIRE_LEASE", defaults.lease))
                .idlePoll(env.duration("GROUPWIRE_IDLE_POLL", defaults.idlePoll))
                .workerId(env.string("GROUPWIRE_WORKER_ID", defaults.workerId))
                .numberPool(NumberPool.fromEnv(env, env.optional("GROUPWIRE_TWILIO_FROM") == null ? null
                        : new NumberPool(java.util.List.of(env.optional("GROUPWIRE_TWILIO_FROM")))))
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

    public Duration messageTtl() {
        return messageTtl;
    }

    public int batchSize() {
        return batchSize;
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

    /** How long ledgers live: past the TTL, so that no message that may still be delivered loses its ledger. */
    public Duration ledgerTtl() {
        return messageTtl.plusHours(1);
    }

    /** Builds a {@link TransportConfig}; each setter names the setting of the same name. */
    public static final class Builder {
        private RedisSettings redis;
        private String host = "127.0.0.1";
        private int port = 8081;
        private Duration messageTtl = Duration.ofHours(2);
        private int batchSize = 200;
        private Duration lease = Duration.ofSeconds(10);
        private Duration idlePoll = Duration.ofMillis(20);
        private NumberPool numberPool;
        private String workerId = "transport-" + UUID.randomUUID().toString().substring(0, 8);

        private Builder() {
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

        public Builder messageTtl(Duration messageTtl) {
            this.messageTtl = messageTtl;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
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

        public Builder numberPool(NumberPool numberPool) {
            this.numberPool = numberPool;
            return this;
        }

        public Builder workerId(String workerId) {
            this.workerId = workerId;
            return this;
        }

        public TransportConfig build() {
            return new TransportConfig(this);
        }
    }
}

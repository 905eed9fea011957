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
import java.util.Set;
import java.util.UUID;

/**
 * Settings of the rate pacer, from the environment.
 *
 * <ul>
 *   <li>{@code GROUPWIRE_PACER_PORT} (8082): port of /health and /metrics; 0 picks a free one</li>
 *   <li>{@code GROUPWIRE_PACER_HOST} (0.0.0.0)</li>
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
public record PacerConfig(RedisSettings redis, String host, int port, Set<Channel> channels,
                          Map<Channel, ChannelLimit> limits, Duration messageTtl, int batchSize, Duration retryBase,
                          Duration retryMax, int maxAttempts, Duration lease, Duration idlePoll, String workerId,
                          Duration settledLedgerTtl, int waitReplicas, Duration waitTimeout) {

    private static final Map<Channel, long[]> DEFAULTS = Map.of(
            Channel.APNS, new long[] {5000, 1000},
            Channel.FCM, new long[] {9000, 1000},
            Channel.SMS, new long[] {100, 64});

    public PacerConfig {
        channels = Set.copyOf(channels);
        limits = Map.copyOf(limits);
        if (waitReplicas < 0) {
            throw new IllegalArgumentException("GROUPWIRE_WAIT_REPLICAS must not be negative");
        }
    }

    public static PacerConfig fromEnv(Env env) {
        Set<Channel> channels = EnumSet.noneOf(Channel.class);
        for (String c : env.string("GROUPWIRE_PACER_CHANNELS", "apns,fcm,sms").split(",")) {
            if (!c.isBlank()) {
                channels.add(Channel.fromId(c.trim()));
            }
        }
        Map<Channel, ChannelLimit> limits = new EnumMap<>(Channel.class);
        for (Channel c : Channel.values()) {
            String suffix = c.name().toUpperCase(Locale.ROOT);
            long rate = env.longValue("GROUPWIRE_RATE_" + suffix, DEFAULTS.get(c)[0]);
            limits.put(c, new ChannelLimit(rate, env.longValue("GROUPWIRE_BURST_" + suffix, rate),
                    env.integer("GROUPWIRE_INFLIGHT_" + suffix, (int) DEFAULTS.get(c)[1])));
        }
        return new PacerConfig(
                RedisSettings.fromEnv(env),
                env.string("GROUPWIRE_PACER_HOST", "0.0.0.0"),
                env.integer("GROUPWIRE_PACER_PORT", 8082),
                channels,
                limits,
                env.duration("GROUPWIRE_MESSAGE_TTL", Duration.ofHours(2)),
                env.integer("GROUPWIRE_PACER_BATCH", 200),
                env.duration("GROUPWIRE_RETRY_BASE", Duration.ofSeconds(1)),
                env.duration("GROUPWIRE_RETRY_MAX", Duration.ofMinutes(5)),
                env.integer("GROUPWIRE_MAX_ATTEMPTS", 15),
                env.duration("GROUPWIRE_LEASE", Duration.ofSeconds(10)),
                env.duration("GROUPWIRE_IDLE_POLL", Duration.ofMillis(20)),
                env.string("GROUPWIRE_WORKER_ID", "pacer-" + UUID.randomUUID().toString().substring(0, 8)),
                env.duration("GROUPWIRE_SETTLED_LEDGER_TTL", DeliveryLedger.DEFAULT_SETTLED_TTL),
                env.integer("GROUPWIRE_WAIT_REPLICAS", 0),
                env.duration("GROUPWIRE_WAIT_TIMEOUT", Duration.ofSeconds(1)));
    }

    public ChannelLimit limit(Channel c) {
        return limits.get(c);
    }
}

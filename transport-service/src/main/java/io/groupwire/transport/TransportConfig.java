package io.groupwire.transport;

import io.groupwire.core.config.Env;
import io.groupwire.core.redis.RedisSettings;
import java.time.Duration;
import java.util.UUID;

/**
 * Settings of the transport service, from the environment.
 *
 * <ul>
 *   <li>{@code GROUPWIRE_TRANSPORT_PORT} (8081): port of /health and /metrics; 0 picks a free one</li>
 *   <li>{@code GROUPWIRE_TRANSPORT_HOST} (0.0.0.0)</li>
 *   <li>{@code GROUPWIRE_MESSAGE_TTL} (2h): older messages are dropped, not delivered</li>
 *   <li>{@code GROUPWIRE_TRANSPORT_BATCH} (200): messages claimed per round trip</li>
 *   <li>{@code GROUPWIRE_LEASE} (10s): how long a dead instance's shards stay unclaimed</li>
 *   <li>{@code GROUPWIRE_IDLE_POLL} (20ms): longest wait between claims of an empty mailbox</li>
 *   <li>{@code GROUPWIRE_WORKER_ID} (random): this instance's name in leases</li>
 *   <li>and the Redis settings of {@link RedisSettings#fromEnv}</li>
 * </ul>
 */
public record TransportConfig(RedisSettings redis, String host, int port, Duration messageTtl, int batchSize,
                              Duration lease, Duration idlePoll, String workerId) {

    public static TransportConfig fromEnv(Env env) {
        return new TransportConfig(
                RedisSettings.fromEnv(env),
                env.string("GROUPWIRE_TRANSPORT_HOST", "0.0.0.0"),
                env.integer("GROUPWIRE_TRANSPORT_PORT", 8081),
                env.duration("GROUPWIRE_MESSAGE_TTL", Duration.ofHours(2)),
                env.integer("GROUPWIRE_TRANSPORT_BATCH", 200),
                env.duration("GROUPWIRE_LEASE", Duration.ofSeconds(10)),
                env.duration("GROUPWIRE_IDLE_POLL", Duration.ofMillis(20)),
                env.string("GROUPWIRE_WORKER_ID", "transport-" + UUID.randomUUID().toString().substring(0, 8)));
    }

    /** How long ledgers live: past the TTL, so that no message that may still be delivered loses its ledger. */
    public Duration ledgerTtl() {
        return messageTtl.plusHours(1);
    }
}

package io.groupwire.gateway;

import io.groupwire.core.config.Env;
import io.groupwire.core.redis.RedisSettings;
import java.time.Duration;

/**
 * Settings of the API gateway, from the environment.
 *
 * <ul>
 *   <li>{@code GROUPWIRE_HTTP_HOST} (0.0.0.0), {@code GROUPWIRE_HTTP_PORT} (8080; 0 picks a free port)</li>
 *   <li>{@code GROUPWIRE_GATEWAY_INSTANCES} (number of cores): HTTP server instances sharing the port</li>
 *   <li>{@code GROUPWIRE_ADMIN_TOKEN} or {@code GROUPWIRE_ADMIN_TOKEN_FILE}: required; may create users</li>
 *   <li>{@code GROUPWIRE_MAILBOX_HIGH_WATER} (100000): per-shard mailbox length above which sends get 503</li>
 *   <li>{@code GROUPWIRE_OUTBOX_HIGH_WATER} (500000): per-shard outbox length above which sends get 503</li>
 *   <li>{@code GROUPWIRE_MESSAGE_TTL} (2h): source_guids are remembered for this plus an hour</li>
 *   <li>{@code GROUPWIRE_BODY_LIMIT} (65536 bytes): larger request bodies get 413</li>
 *   <li>{@code GROUPWIRE_REDIS_TIMEOUT} (2s): a Redis call slower than this answers 503</li>
 *   <li>and the Redis settings of {@link RedisSettings#fromEnv}</li>
 * </ul>
 */
public record GatewayConfig(RedisSettings redis, String host, int port, int instances, String adminToken,
                            long mailboxHighWater, long outboxHighWater, Duration messageTtl, int bodyLimit,
                            Duration redisTimeout) {

    public GatewayConfig {
        if (adminToken == null || adminToken.length() < 8) {
            throw new IllegalArgumentException("GROUPWIRE_ADMIN_TOKEN (or GROUPWIRE_ADMIN_TOKEN_FILE) must be set "
                    + "to a token of at least 8 characters");
        }
    }

    public static GatewayConfig fromEnv(Env env) {
        return new GatewayConfig(
                RedisSettings.fromEnv(env),
                env.string("GROUPWIRE_HTTP_HOST", "0.0.0.0"),
                env.integer("GROUPWIRE_HTTP_PORT", 8080),
                env.integer("GROUPWIRE_GATEWAY_INSTANCES", Runtime.getRuntime().availableProcessors()),
                env.secret("GROUPWIRE_ADMIN_TOKEN"),
                env.longValue("GROUPWIRE_MAILBOX_HIGH_WATER", 100_000),
                env.longValue("GROUPWIRE_OUTBOX_HIGH_WATER", 500_000),
                env.duration("GROUPWIRE_MESSAGE_TTL", Duration.ofHours(2)),
                env.integer("GROUPWIRE_BODY_LIMIT", 64 * 1024),
                env.duration("GROUPWIRE_REDIS_TIMEOUT", Duration.ofSeconds(2)));
    }

    /** This config without its secret, for logs. */
    @Override
    public String toString() {
        return "GatewayConfig[" + host + ":" + port + ", instances=" + instances + ", redis=" + redis.describe()
                + ", mailboxHighWater=" + mailboxHighWater + ", outboxHighWater=" + outboxHighWater + "]";
    }
}

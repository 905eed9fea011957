package io.groupwire.gateway;

import io.groupwire.core.history.HistoryLimits;
import io.groupwire.core.config.Env;
import io.groupwire.core.http.HttpLimits;
import io.groupwire.core.redis.RedisSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the API gateway, read from the environment.
 *
 * <ul>
 *   <li>{@code GROUPWIRE_HTTP_HOST} (0.0.0.0: the API is public; the all-in-one runner defaults it to
 *       127.0.0.1), {@code GROUPWIRE_HTTP_PORT} (8080; 0 picks a free port)</li>
 *   <li>{@code GROUPWIRE_GATEWAY_METRICS} ({@code loopback}): who may read {@code /metrics} on the API
 *       port: {@code loopback} (clients on this host; others get 404) or {@code public} (anyone)</li>
 *   <li>{@code GROUPWIRE_GATEWAY_INSTANCES} (number of cores): HTTP server instances sharing the port,
 *       one per event loop; a random port (0) always gets one</li>
 *   <li>{@code GROUPWIRE_ADMIN_TOKEN}, or a file named by {@code GROUPWIRE_ADMIN_TOKEN_FILE}: required,
 *       at least 12 characters; the bearer token that may create users</li>
 *   <li>{@code GROUPWIRE_MAILBOX_HIGH_WATER} (100000): per-shard mailbox length above which sends get
 *       503 with Retry-After (0: no limit)</li>
 *   <li>{@code GROUPWIRE_OUTBOX_HIGH_WATER} (500000): per-shard outbox length above which sends get
 *       503 with Retry-After (0: no limit)</li>
 *   <li>{@code GROUPWIRE_MESSAGE_TTL} (2h): how long a message may wait for delivery; source_guids
 *       are remembered for this plus an hour, so a retry of an expired message is still recognised</li>
 *   <li>{@code GROUPWIRE_BODY_LIMIT} (65536 bytes): larger request bodies get 413; group creation
 *       accepts at least {@value RequestBodies#GROUP_BODY_LIMIT} bytes so that a full member list fits</li>
 *   <li>{@code GROUPWIRE_REDIS_TIMEOUT} (2s): a Redis call slower than this answers 503 with Retry-After</li>
 *   <li>{@code GROUPWIRE_WAIT_REPLICAS} (0): when above 0, a message is answered 202 only after this
 *       many replicas acknowledged it (Redis WAIT); otherwise 503, and the retry is idempotent</li>
 *   <li>{@code GROUPWIRE_WAIT_TIMEOUT} (1s): how long to wait for those acknowledgements</li>
 *   <li>the rate limits of {@link RateLimitSettings#fromEnv} ({@code GROUPWIRE_LIMIT_SENDS_PER_USER} and
 *       the others)</li>
 *   <li>the history's and event stream's limits of {@link HistoryLimits#fromEnv} ({@code GROUPWIRE_HISTORY_MAX},
 *       {@code GROUPWIRE_HISTORY_TTL}, {@code GROUPWIRE_EVENTS_MAXLEN});</li>
 *   <li>the inbound SMS webhook's settings of {@link InboundSettings#fromEnv}</li>
 *   <li>the HTTP limits of {@link HttpLimits#fromEnv} ({@code GROUPWIRE_HTTP_HEADER_TIMEOUT},
 *       {@code GROUPWIRE_HTTP_BODY_TIMEOUT}, {@code GROUPWIRE_HTTP_IDLE_TIMEOUT},
 *       {@code GROUPWIRE_HTTP_MAX_CONNECTIONS_PER_ADDRESS})</li>
 *   <li>and the Redis settings of {@link RedisSettings#fromEnv} ({@code GROUPWIRE_REDIS_URL},
 *       {@code GROUPWIRE_REDIS_CLUSTER_NODES}, {@code GROUPWIRE_SHARDS}, ...)</li>
 * </ul>
 */
public record GatewayConfig(RedisSettings redis, String host, int port, int instances, String adminToken,
                            long mailboxHighWater, long outboxHighWater, Duration messageTtl, int bodyLimit,
                            Duration redisTimeout, int waitReplicas, Duration waitTimeout, boolean publicMetrics,
                            RateLimitSettings limits, HistoryLimits history, InboundSettings inbound,
                            HttpLimits http) {
    /** Shortest admin token accepted: a guessable one would let anyone create users. */
    public static final int MIN_ADMIN_TOKEN_LENGTH = 12;
    /** How much longer than the message TTL a source_guid is remembered. */
    public static final Duration GUID_MARGIN = Duration.ofHours(1);

    public GatewayConfig {
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(inbound, "inbound");
        Objects.requireNonNull(http, "http");
        if (adminToken == null || adminToken.length() < MIN_ADMIN_TOKEN_LENGTH) {
            // the message names the variables, never the value
            throw new IllegalArgumentException("the gateway refuses to start without an admin token: set "
                    + "GROUPWIRE_ADMIN_TOKEN (or GROUPWIRE_ADMIN_TOKEN_FILE) to a secret of at least "
                    + MIN_ADMIN_TOKEN_LENGTH + " characters");
        }
        require(port >= 0 && port <= 65535, "GROUPWIRE_HTTP_PORT must be between 0 and 65535");
        require(instances >= 1, "GROUPWIRE_GATEWAY_INSTANCES must be at least 1");
        require(mailboxHighWater >= 0, "GROUPWIRE_MAILBOX_HIGH_WATER must not be negative");
        require(outboxHighWater >= 0, "GROUPWIRE_OUTBOX_HIGH_WATER must not be negative");
        require(messageTtl != null && !messageTtl.isNegative() && !messageTtl.isZero(), "GROUPWIRE_MESSAGE_TTL must be positive");
        require(bodyLimit >= 1024, "GROUPWIRE_BODY_LIMIT must be at least 1024 bytes");
        require(redisTimeout != null && redisTimeout.toMillis() > 0, "GROUPWIRE_REDIS_TIMEOUT must be positive");
        require(waitReplicas >= 0, "GROUPWIRE_WAIT_REPLICAS must not be negative");
        require(waitTimeout != null && !waitTimeout.isNegative(), "GROUPWIRE_WAIT_TIMEOUT must not be negative");
        require(waitReplicas == 0 || redisTimeout.compareTo(waitTimeout) > 0,
                "GROUPWIRE_REDIS_TIMEOUT must be longer than GROUPWIRE_WAIT_TIMEOUT");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
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
                env.duration("GROUPWIRE_REDIS_TIMEOUT", Duration.ofSeconds(2)),
                env.integer("GROUPWIRE_WAIT_REPLICAS", 0),
                env.duration("GROUPWIRE_WAIT_TIMEOUT", Duration.ofSeconds(1)),
                metricsAccess(env.string("GROUPWIRE_GATEWAY_METRICS", "loopback")),
                RateLimitSettings.fromEnv(env),
                HistoryLimits.fromEnv(env),
                InboundSettings.fromEnv(env),
                HttpLimits.fromEnv(env));
    }

    private static boolean metricsAccess(String value) {
        return switch (value) {
            case "loopback" -> false;
            case "public" -> true;
            default -> throw new IllegalArgumentException("GROUPWIRE_GATEWAY_METRICS must be loopback or public");
        };
    }

    /** How long a source_guid is remembered: the message TTL plus {@link #GUID_MARGIN}. */
    public Duration guidTtl() {
        return messageTtl.plus(GUID_MARGIN);
    }

    /** This config without its secret, for logs. */
    @Override
    public String toString() {
        return "GatewayConfig[" + host + ":" + port + ", instances=" + instances + ", redis=" + redis.describe()
                + ", mailboxHighWater=" + mailboxHighWater + ", outboxHighWater=" + outboxHighWater
                + ", messageTtl=" + messageTtl + ", bodyLimit=" + bodyLimit + ", redisTimeout=" + redisTimeout
                + ", waitReplicas=" + waitReplicas + ", metrics=" + (publicMetrics ? "public" : "loopback") + ", limits=" + limits
                + ", inbound=" + inbound + ", http=(" + http + ")"
                + ", adminToken=(secret)]";
    }
}

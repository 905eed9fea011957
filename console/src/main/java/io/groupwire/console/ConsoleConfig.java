package io.groupwire.console;

import io.groupwire.core.config.Env;
import io.groupwire.core.redis.RedisSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the console, from the environment:
 * <ul>
 *   <li>{@code GROUPWIRE_CONSOLE_HOST} (127.0.0.1) and {@code GROUPWIRE_CONSOLE_PORT} (8070): where it listens</li>
 *   <li>{@code GROUPWIRE_OPERATOR_TOKEN} or {@code GROUPWIRE_OPERATOR_TOKEN_FILE}: the token operators log in with (required)</li>
 *   <li>{@code GROUPWIRE_CONSOLE_SESSION} (8h): how long a login lasts without use</li>
 *   <li>{@code GROUPWIRE_SETTLED_LEDGER_TTL} (60s): how long a message's trace outlives its last delivery, as the pacer keeps it</li>
 *   <li>and the Redis settings of {@link RedisSettings#fromEnv}</li>
 * </ul>
 */
public record ConsoleConfig(RedisSettings redis, String host, int port, String operatorToken, Duration session,
                            Duration settledLedgerTtl) {

    public ConsoleConfig {
        Objects.requireNonNull(redis, "redis");
        if (operatorToken == null || operatorToken.length() < 16) {
            throw new IllegalArgumentException("the console needs GROUPWIRE_OPERATOR_TOKEN (or _FILE) of at least 16 characters");
        }
    }

    public static ConsoleConfig fromEnv(Env env) {
        return new ConsoleConfig(RedisSettings.fromEnv(env), env.string("GROUPWIRE_CONSOLE_HOST", "127.0.0.1"),
                env.integer("GROUPWIRE_CONSOLE_PORT", 8070), env.secret("GROUPWIRE_OPERATOR_TOKEN"),
                env.duration("GROUPWIRE_CONSOLE_SESSION", Duration.ofHours(8)),
                env.duration("GROUPWIRE_SETTLED_LEDGER_TTL", Duration.ofSeconds(60)));
    }

    /** Never the token. */
    @Override
    public String toString() {
        return "ConsoleConfig[" + host + ":" + port + ", redis=" + redis.describe() + "]";
    }
}

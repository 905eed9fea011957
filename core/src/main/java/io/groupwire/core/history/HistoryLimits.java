package io.groupwire.core.history;

import io.groupwire.core.config.Env;
import java.time.Duration;

/**
 * How much each group's history and each shard's event stream keep. The history keeps the newest
 * {@code maxMessages} of a group, none older than {@code ttl}; likes, like counts and the notifier's
 * records of a message live as long. The event stream keeps about {@code streamMaxLength} entries
 * per shard (trimmed with {@code MAXLEN ~} on every append) and none older than {@code streamRetention}
 * (trimmed with {@code MINID ~} by the events role).
 *
 * <p>From {@code GROUPWIRE_HISTORY_MAX} (1000), {@code GROUPWIRE_HISTORY_TTL} (30 days),
 * {@code GROUPWIRE_EVENTS_MAXLEN} (100000) and {@code GROUPWIRE_EVENTS_RETENTION} (7 days).
 */
public record HistoryLimits(int maxMessages, Duration ttl, long streamMaxLength, Duration streamRetention) {
    /** The defaults named above. */
    public static final HistoryLimits DEFAULTS = new HistoryLimits(1000, Duration.ofDays(30), 100_000, Duration.ofDays(7));

    public HistoryLimits {
        if (maxMessages < 1 || ttl.toSeconds() < 1 || streamMaxLength < 1 || streamRetention.toSeconds() < 1) {
            throw new IllegalArgumentException("history and event limits must be positive");
        }
    }

    /** Reads the variables named above. */
    public static HistoryLimits fromEnv(Env env) {
        return new HistoryLimits(env.integer("GROUPWIRE_HISTORY_MAX", DEFAULTS.maxMessages),
                env.duration("GROUPWIRE_HISTORY_TTL", DEFAULTS.ttl),
                env.longValue("GROUPWIRE_EVENTS_MAXLEN", DEFAULTS.streamMaxLength),
                env.duration("GROUPWIRE_EVENTS_RETENTION", DEFAULTS.streamRetention));
    }
}

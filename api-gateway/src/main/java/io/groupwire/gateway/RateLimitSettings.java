package io.groupwire.gateway;

import io.groupwire.core.config.Env;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The gateway's per-user and per-group rate limits, from the environment. Each is
 * {@code TOKENS/PERIOD} (a bucket of that many requests, refilled evenly over the period: bursts up
 * to the bucket, the rate on average) or {@code off}. The defaults are far above what a person or
 * an honest client does; a script flooding the API meets them.
 *
 * @param rates the limit of each kind; a kind missing from the map is off
 */
public record RateLimitSettings(Map<Limit, Rate> rates) {

    /** The limited actions, each with its variable and default. */
    public enum Limit {
        /** Messages one user sends, all groups together. */
        SEND_PER_USER("send_user", "GROUPWIRE_LIMIT_SENDS_PER_USER", "600/1m"),
        /** Messages sent to one group, all senders together. */
        SEND_PER_GROUP("send_group", "GROUPWIRE_LIMIT_SENDS_PER_GROUP", "3000/1m"),
        /** Groups one user creates. */
        CREATE_GROUP("create_group", "GROUPWIRE_LIMIT_GROUPS_PER_USER", "100/1h"),
        /** Members one user adds to groups (one by one; a group's creation lists its first members freely). */
        ADD_MEMBER("add_member", "GROUPWIRE_LIMIT_MEMBER_ADDS_PER_USER", "1000/1h");

        private final String id;
        private final String variable;
        private final String fallback;

        Limit(String id, String variable, String fallback) {
            this.id = id;
            this.variable = variable;
            this.fallback = fallback;
        }

        /** The name of the limit in metrics, keys and errors. */
        public String id() {
            return id;
        }

        /** The environment variable that sets it. */
        public String variable() {
            return variable;
        }
    }

    /**
     * A bucket of {@code tokens} requests, refilled evenly over {@code period}.
     *
     * @param tokens the burst, and the requests per period
     * @param period how long the bucket takes to refill from empty
     */
    public record Rate(long tokens, Duration period) {
        public Rate {
            if (tokens < 1 || period == null || period.toMillis() < 1) {
                throw new IllegalArgumentException("a rate needs at least one token and a positive period");
            }
        }

        /** {@code TOKENS/PERIOD} (600/1m, 100/1h, 5/10s), or null for {@code off}. */
        static Rate parse(String value) {
            if (value.equalsIgnoreCase("off")) {
                return null;
            }
            int slash = value.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("not TOKENS/PERIOD");
            }
            String period = value.substring(slash + 1).trim();
            // "600/s" reads as 600 per second
            return new Rate(Long.parseLong(value.substring(0, slash).trim()),
                    Env.parseDuration(Character.isDigit(period.charAt(0)) ? period : "1" + period));
        }
    }

    public RateLimitSettings {
        rates = Map.copyOf(rates);
    }

    /** The limits the environment sets, each at its default unless its variable says otherwise. */
    public static RateLimitSettings fromEnv(Env env) {
        Map<Limit, Rate> rates = new EnumMap<>(Limit.class);
        for (Limit l : Limit.values()) {
            String value = env.string(l.variable, l.fallback);
            Rate rate;
            try {
                rate = Rate.parse(value);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(l.variable + " must be TOKENS/PERIOD (such as " + l.fallback
                        + ") or off", e);
            }
            if (rate != null) {
                rates.put(l, rate);
            }
        }
        return new RateLimitSettings(rates);
    }

    /** The rate of a limit, or null when it is off. */
    public Rate rate(Limit limit) {
        return rates.get(Objects.requireNonNull(limit));
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (Limit l : Limit.values()) {
            Rate r = rates.get(l);
            b.append(b.length() > 1 ? ", " : "").append(l.id).append('=')
                    .append(r == null ? "off" : r.tokens() + "/" + r.period());
        }
        return b.append('}').toString();
    }
}

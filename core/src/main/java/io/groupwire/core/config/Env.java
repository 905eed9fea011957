package io.groupwire.core.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Reads typed settings from environment variables, with defaults, so that every service's config
 * object is built the same way and a bad value fails at start-up with the variable's name in it.
 */
public final class Env {
    private final Map<String, String> vars;

    public Env(Map<String, String> vars) {
        this.vars = Objects.requireNonNull(vars);
    }

    /** This environment with some variables set or replaced (later layers win). */
    public Env with(Map<String, String> overrides) {
        Map<String, String> merged = new java.util.HashMap<>(vars);
        merged.putAll(overrides);
        return new Env(merged);
    }

    /** The process environment. */
    public static Env system() {
        return new Env(System.getenv());
    }

    public String string(String name, String fallback) {
        String v = vars.get(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    /** A value that may be absent; null when unset or blank. */
    public String optional(String name) {
        return string(name, null);
    }

    /**
     * A secret: the value of {@code NAME}, or the contents of the file that {@code NAME_FILE} names
     * (trailing newline removed), or null. Callers must never log what this returns.
     */
    public String secret(String name) {
        String direct = optional(name);
        if (direct != null) {
            return direct;
        }
        String file = optional(name + "_FILE");
        if (file == null) {
            return null;
        }
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(file)).strip();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read the file named by " + name + "_FILE", e);
        }
    }

    public int integer(String name, int fallback) {
        return parse(name, fallback, Integer::parseInt);
    }

    public long longValue(String name, long fallback) {
        return parse(name, fallback, Long::parseLong);
    }

    public double decimal(String name, double fallback) {
        return parse(name, fallback, Double::parseDouble);
    }

    public boolean bool(String name, boolean fallback) {
        return parse(name, fallback, v -> switch (v.toLowerCase()) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("not a boolean");
        });
    }

    /** A duration in ISO-8601 form (PT2H) or as a number with a unit suffix: 250ms, 30s, 5m, 2h. */
    public Duration duration(String name, Duration fallback) {
        return parse(name, fallback, Env::parseDuration);
    }

    /** Parses what {@link #duration} accepts. */
    public static Duration parseDuration(String v) {
        String s = v.trim().toLowerCase();
        if (s.startsWith("p")) {
            return Duration.parse(v.trim().toUpperCase());
        }
        if (s.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        long n = Long.parseLong(s.substring(0, s.length() - 1));
        return switch (s.charAt(s.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("unknown unit");
        };
    }

    private <T> T parse(String name, T fallback, Function<String, T> parser) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return parser.apply(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("environment variable " + name + " has an invalid value", e);
        }
    }
}

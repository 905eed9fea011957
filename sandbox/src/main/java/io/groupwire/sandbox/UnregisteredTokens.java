package io.groupwire.sandbox;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The device tokens a sandbox provider treats as no longer registered (APNs 410 Unregistered, FCM
 * 404 UNREGISTERED), with the time each became invalid. Thread-safe and changeable at run time, so
 * a test or an operator can retire a token while the sandbox runs.
 */
public final class UnregisteredTokens {
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();

    /** Treats {@code token} as unregistered since {@code since}. */
    public void add(String token, Instant since) {
        tokens.put(token, since);
    }

    /** Treats {@code token} as unregistered since now. */
    public void add(String token) {
        add(token, Instant.now());
    }

    public void remove(String token) {
        tokens.remove(token);
    }

    public void clear() {
        tokens.clear();
    }

    /** Since when {@code token} is unregistered, empty while it is registered. */
    public Optional<Instant> since(String token) {
        return Optional.ofNullable(tokens.get(token));
    }

    public int size() {
        return tokens.size();
    }
}

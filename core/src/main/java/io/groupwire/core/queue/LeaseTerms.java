package io.groupwire.core.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * Who takes leases on a set of queues, and for how long.
 *
 * @param role   the instances that share the queues ({@code transport}, {@code pacer}): the name
 *               of their registry {@code gw:workers:ROLE}
 * @param worker this instance's name in the leases and the registry
 * @param lease  how long a lease lasts unless renewed: how long a dead instance's queues wait
 */
public record LeaseTerms(String role, String worker, Duration lease) {
    public LeaseTerms {
        Objects.requireNonNull(role);
        Objects.requireNonNull(worker);
        if (lease.toMillis() < 1) {
            throw new IllegalArgumentException("lease must be at least 1 ms");
        }
    }

    /** How often leases are renewed and the registry heartbeat refreshed: three times per lease. */
    public long renewalMillis() {
        return Math.max(50, lease.toMillis() / 3);
    }

    String registryKey() {
        return "gw:workers:" + role;
    }
}

package io.groupwire.core.http;

import java.util.concurrent.ConcurrentHashMap;

/**
 * How many connections each client address holds on one service, across all of its server
 * instances (event loops): one address may not take every connection the process can hold.
 */
final class ConnectionsPerAddress {
    private final int max;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

    /** @param max connections one address may hold; 0 for no limit */
    ConnectionsPerAddress(int max) {
        this.max = max;
    }

    /** Counts a new connection from {@code address}; false when it is one too many (it is counted all the same). */
    boolean open(String address) {
        int now = open.merge(address, 1, Integer::sum);
        return max == 0 || now <= max;
    }

    /** Forgets a closed connection of {@code address}. */
    void close(String address) {
        open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

}

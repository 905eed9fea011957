package io.groupwire.core.http;

import io.groupwire.core.config.Env;
import java.time.Duration;

/**
 * What an HTTP server grants one client, read from the environment:
 *
 * <ul>
 *   <li>{@code GROUPWIRE_HTTP_HEADER_TIMEOUT} (10s): a request's line and headers must have arrived
 *       this long after its first byte (or after the connection opened); otherwise 408 and the
 *       connection is closed</li>
 *   <li>{@code GROUPWIRE_HTTP_BODY_TIMEOUT} (10s): the body must have arrived this long after the
 *       headers; otherwise 408 and the connection is closed</li>
 *   <li>{@code GROUPWIRE_HTTP_IDLE_TIMEOUT} (60s): a kept-alive connection with nothing to read or
 *       write for this long is closed</li>
 *   <li>{@code GROUPWIRE_HTTP_MAX_CONNECTIONS_PER_ADDRESS} (1024): connections one client address may
 *       hold at once; further ones are answered 429 and closed (0: no limit). Behind a proxy every
 *       client shares its address: raise it there, or set 0 and limit at the proxy</li>
 * </ul>
 *
 * The request line is at most {@value #MAX_INITIAL_LINE} bytes (414 beyond) and the headers at most
 * {@value #MAX_HEADER_SIZE} bytes (431 beyond).
 */
public record HttpLimits(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnectionsPerAddress) {
    /** Longest request line: far more than any path of the API needs. */
    public static final int MAX_INITIAL_LINE = 4096;
    /** Largest header block: room for a long bearer token and the usual headers. */
    public static final int MAX_HEADER_SIZE = 8192;

    public HttpLimits {
        require(headerTimeout, "GROUPWIRE_HTTP_HEADER_TIMEOUT");
        require(bodyTimeout, "GROUPWIRE_HTTP_BODY_TIMEOUT");
        require(idleTimeout, "GROUPWIRE_HTTP_IDLE_TIMEOUT");
        if (maxConnectionsPerAddress < 0) {
            throw new IllegalArgumentException("GROUPWIRE_HTTP_MAX_CONNECTIONS_PER_ADDRESS must not be negative");
        }
    }

    private static void require(Duration d, String name) {
        if (d == null || d.toMillis() <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    /** The defaults listed above. */
    public static HttpLimits defaults() {
        return fromEnv(new Env(java.util.Map.of()));
    }

    public static HttpLimits fromEnv(Env env) {
        return new HttpLimits(
                env.duration("GROUPWIRE_HTTP_HEADER_TIMEOUT", Duration.ofSeconds(10)),
                env.duration("GROUPWIRE_HTTP_BODY_TIMEOUT", Duration.ofSeconds(10)),
                env.duration("GROUPWIRE_HTTP_IDLE_TIMEOUT", Duration.ofSeconds(60)),
                env.integer("GROUPWIRE_HTTP_MAX_CONNECTIONS_PER_ADDRESS", 1024));
    }

    /** These limits without the one on connections per address (for a server whose every client is local). */
    public HttpLimits anyNumberOfConnections() {
        return new HttpLimits(headerTimeout, bodyTimeout, idleTimeout, 0);
    }

    @Override
    public String toString() {
        return "header " + headerTimeout + ", body " + bodyTimeout + ", idle " + idleTimeout + ", "
                + (maxConnectionsPerAddress == 0 ? "no connection limit" : maxConnectionsPerAddress + " connections per address");
    }
}

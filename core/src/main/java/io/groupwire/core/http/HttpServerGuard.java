package io.groupwire.core.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.HttpServerConnection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the HTTP servers of one service (one per event loop, sharing the port) with the same
 * defences: the {@link HttpLimits}, a {@link RequestReadGuard} on every connection, at most
 * {@link HttpLimits#maxConnectionsPerAddress()} connections per client address (429 beyond), and
 * connection-level errors (a peer's reset, a refused request) logged as one rate-limited line each.
 *
 * <p>Only HTTP/1.x is served, unless the service asks for cleartext HTTP/2 (h2c) too (the sandbox,
 * whose FCM endpoint speaks HTTP/2 as FCM does): no client of the services needs it, and telling
 * h2c from HTTP/1 waits for a new connection's first bytes, holding a silent connection until the
 * idle timeout, out of reach of the header bound.
 */
public final class HttpServerGuard {
    private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private final HttpLimits limits;
    private final RateLimitedLog log;
    private final ConnectionsPerAddress connections;
    private final boolean cleartextHttp2;

    /** @param service names the logger, so that each service's refusals are told apart */
    public HttpServerGuard(String service, HttpLimits limits) {
        this(service, limits, false);
    }

    /** @param cleartextHttp2 whether HTTP/2 without TLS is served besides HTTP/1.x (its connections are not guarded) */
    public HttpServerGuard(String service, HttpLimits limits, boolean cleartextHttp2) {
        this.limits = limits;
        this.cleartextHttp2 = cleartextHttp2;
        Logger logger = LoggerFactory.getLogger(HttpServerGuard.class.getName() + "." + service);
        this.log = new RateLimitedLog(logger, LOG_INTERVAL);
        this.connections = new ConnectionsPerAddress(limits.maxConnectionsPerAddress());
    }

    /** A server with the defences in place; the caller adds its request handler and listens. */
    public HttpServer create(Vertx vertx) {
        HttpServerOptions options = new HttpServerOptions()
                .setIdleTimeout((int) limits.idleTimeout().toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxInitialLineLength(HttpLimits.MAX_INITIAL_LINE)
                .setMaxHeaderSize(HttpLimits.MAX_HEADER_SIZE)
                .setHttp2ClearTextEnabled(cleartextHttp2)
                .setDecompressionSupported(false);
        return vertx.createHttpServer(options)
                .connectionHandler(this::guard)
                .exceptionHandler(e -> log.info("connection error: " + RawAnswers.describe(e)));
    }

    private void guard(HttpConnection connection) {
        if (!(connection instanceof HttpServerConnection internal)) {
            return;
        }
        Channel channel = internal.channelHandlerContext().channel();
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get("httpDecoder") == null || pipeline.get("httpEncoder") == null) {
            return;
        }
        String peer = connection.remoteAddress() == null ? "unknown" : connection.remoteAddress().hostAddress();
        boolean admitted = connections.open(peer);
        channel.closeFuture().addListener(f -> connections.close(peer));
        RequestReadGuard guard = RequestReadGuard.install(pipeline, limits, log, peer);
        if (!admitted) {
            guard.refuse(429, "too_many_connections", "this address holds too many connections; close some and retry",
                    "it holds " + limits.maxConnectionsPerAddress() + " connections already", false);
        }
    }
}

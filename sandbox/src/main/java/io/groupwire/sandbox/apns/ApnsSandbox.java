package io.groupwire.sandbox.apns;

import com.eatthepath.pushy.apns.ApnsPushNotification;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.ParsingMockApnsServerListenerAdapter;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.fasterxml.jackson.databind.JsonNode;
import io.groupwire.core.json.Json;
import io.groupwire.sandbox.ReceivedDelivery;
import io.groupwire.sandbox.ReceivedLog;
import io.groupwire.sandbox.SandboxFaults;
import io.groupwire.sandbox.UnregisteredTokens;
import io.groupwire.sandbox.credentials.CredentialFiles;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * A local APNs for runs and tests: Pushy's {@link MockApnsServer} over TLS (a self-signed
 * certificate made at first start) with a handler that checks requests and provider tokens the way
 * APNs does ({@link SandboxPushHandler}), accepts any well-formed device token except the ones in
 * {@link #unregisteredTokens()}, and records every accepted notification in the shared
 * {@link ReceivedLog} as {@code ReceivedDelivery("apns", token, gw_message_id, payload, now)}.
 *
 * <p>Faults (channel {@code apns} of {@link SandboxFaults}): ERROR answers 500 InternalServerError
 * or 503 ServiceUnavailable at random; THROTTLE answers 429 TooManyRequests (Pushy's mock server
 * cannot add a Retry-After header, and APNs sends none either); DROP closes the connection with a
 * GOAWAY instead of answering, which loses every request in flight on that connection, not only
 * the one drawn; latency holds every answer back that long on a timer ({@link AnswerDelay}), so
 * concurrent requests are answered together after about one latency, as from a slow APNs.
 *
 * <p>Credentials live in the directory given to {@link #start}: see {@link #clientEnvironment()}
 * for the variables that point a client in another process at this sandbox. Pushy's server binds
 * the port on every interface (its API takes no address); the sandbox is for a developer machine
 * or a test, and rejects requests without a token signed by its own key.
 */
public final class ApnsSandbox implements AutoCloseable {
    private static final int RECENT_CAPACITY = 10_000;

    private final MockApnsServer server;
    private final EventLoopGroup eventLoops;
    private final ApnsSandboxCredentials credentials;
    private final UnregisteredTokens unregistered;
    private final Recorder recorder;
    private final int port;

    private ApnsSandbox(MockApnsServer server, EventLoopGroup eventLoops, ApnsSandboxCredentials credentials,
                        UnregisteredTokens unregistered, Recorder recorder, int port) {
        this.server = server;
        this.eventLoops = eventLoops;
        this.credentials = credentials;
        this.unregistered = unregistered;
        this.recorder = recorder;
        this.port = port;
    }

    /**
     * Starts the sandbox.
     *
     * @param port           the TLS port, 0 for any free one
     * @param log            where accepted notifications are recorded
     * @param faults         the fault plan, read per request
     * @param credentialsDir where the certificate and signing key are kept (created if absent; the
     *                       files in it are reused)
     */
    public static ApnsSandbox start(int port, ReceivedLog log, SandboxFaults faults, Path credentialsDir) {
        ApnsSandboxCredentials credentials = ApnsSandboxCredentials.loadOrCreate(credentialsDir);
        UnregisteredTokens unregistered = new UnregisteredTokens();
        Recorder recorder = new Recorder(log);
        // Pushy 0.15.4 picks its server channel class by the group's class name and knows only Netty 4.1's
        // groups: the class Netty 4.2 deprecates is the one it accepts (and it still runs on 4.2)
        @SuppressWarnings("deprecation")
        EventLoopGroup eventLoops = new NioEventLoopGroup(2);
        MockApnsServer server;
        try {
            server = new MockApnsServerBuilder() {
                        @Override
                        protected MockApnsServer constructServer(SslContext context) {
                            // the latency fault holds answers back on a timer, below TLS (AnswerDelay)
                            return super.constructServer(new AnswerDelaySslContext(context, faults));
                        }
                    }
                    .setServerCredentials(new X509Certificate[]{credentials.certificate().certificate()},
                            credentials.certificate().privateKey(), null)
                    .setEventLoopGroup(eventLoops)
                    .setHandlerFactory(session -> new SandboxPushHandler(credentials.verificationKey(),
                            credentials.topic(), unregistered, faults))
                    .setListener(recorder)
                    .setUseAlpn(true)
                    .generateApnsUniqueId(true)
                    .build();
        } catch (SSLException e) {
            eventLoops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("cannot set up TLS for the APNs sandbox", e);
        }
        int bound;
        try {
            bound = server.start(port).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            server.shutdown();
            eventLoops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the APNs sandbox cannot listen on port " + port, e);
        }
        ApnsSandbox sandbox = new ApnsSandbox(server, eventLoops, credentials, unregistered, recorder, bound);
        CredentialFiles.writePublic(credentialsDir.resolve("apns-sandbox.env"), sandbox.envFile());
        return sandbox;
    }

    public int port() {
        return port;
    }

    /**
     * The environment variables that point an APNs client (in this process or another) at this
     * sandbox; also written to {@code apns-sandbox.env} in the credentials directory.
     */
    public Map<String, String> clientEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GROUPWIRE_APNS_HOST", "127.0.0.1");
        env.put("GROUPWIRE_APNS_PORT", Integer.toString(port));
        env.put("GROUPWIRE_APNS_KEY_FILE", credentials.signingKeyFile().toString());
        env.put("GROUPWIRE_APNS_KEY_ID", credentials.keyId());
        env.put("GROUPWIRE_APNS_TEAM_ID", credentials.teamId());
        env.put("GROUPWIRE_APNS_TOPIC", credentials.topic());
        env.put("GROUPWIRE_APNS_TRUSTED_CERT", credentials.certificateFile().toString());
        return env;
    }

    /** The tokens this sandbox answers 410 Unregistered for; change it at any time. */
    public UnregisteredTokens unregisteredTokens() {
        return unregistered;
    }

    /** The most recent accepted notifications (at most 10,000), with all their headers, oldest first. */
    public List<ApnsPushNotification> accepted() {
        return new ArrayList<>(recorder.recent);
    }

    /** How many notifications were rejected, by Pushy's rejection reason name. */
    public Map<String, Integer> rejections() {
        Map<String, Integer> out = new LinkedHashMap<>();
        recorder.rejected.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Override
    public void close() {
        try {
            server.shutdown().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // shutting down regardless
        } finally {
            eventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private String envFile() {
        StringBuilder text = new StringBuilder("# Point a Groupwire APNs client at the sandbox: set -a; . this file\n");
        clientEnvironment().forEach((k, v) -> text.append(k).append("='").append(v.replace("'", "'\\''")).append("'\n"));
        return text.toString();
    }

    /**
     * Thrown by the handler to drop a connection without answering: an {@link Error} because Pushy's
     * mock server answers every {@link Exception} with 500, while anything else reaches Netty's
     * HTTP/2 handler, which closes the connection. Never thrown outside the sandbox's handler.
     */
    static final class ConnectionDrop extends Error {
        ConnectionDrop() {
            super("sandbox fault: drop the connection", null, false, false);
        }
    }

    /** Records accepted notifications; runs on the server's event loops. */
    private static final class Recorder extends ParsingMockApnsServerListenerAdapter {
        private final ReceivedLog log;
        private final ConcurrentLinkedDeque<ApnsPushNotification> recent = new ConcurrentLinkedDeque<>();
        private final AtomicInteger recentSize = new AtomicInteger();
        private final Map<String, AtomicInteger> rejected = new ConcurrentHashMap<>();

        Recorder(ReceivedLog log) {
            this.log = log;
        }

        @Override
        public void handlePushNotificationAccepted(ApnsPushNotification notification) {
            log.record(new ReceivedDelivery("apns", notification.getToken(), messageId(notification.getPayload()),
                    notification.getPayload(), System.currentTimeMillis()));
            recent.addLast(notification);
            if (recentSize.incrementAndGet() > RECENT_CAPACITY && recent.pollFirst() != null) {
                recentSize.decrementAndGet();
            }
        }

        @Override
        public void handlePushNotificationRejected(ApnsPushNotification notification, RejectionReason reason,
                                                   Instant deviceTokenExpirationTimestamp) {
            rejected.computeIfAbsent(reason.name(), k -> new AtomicInteger()).incrementAndGet();
        }

        private static String messageId(String payload) {
            if (payload == null) {
                return null;
            }
            try {
                JsonNode id = Json.mapper().readTree(payload).path("gw_message_id");
                return id.isTextual() ? id.asText() : null;
            } catch (Exception e) {
                return null;
            }
        }
    }
}

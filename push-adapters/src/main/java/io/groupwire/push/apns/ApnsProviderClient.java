package io.groupwire.push.apns;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import com.eatthepath.pushy.apns.util.concurrent.PushNotificationFuture;
import io.groupwire.core.delivery.Outcome;
import io.groupwire.core.delivery.ProviderClient;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The APNs provider client: sends each delivery as one alert notification through Pushy over
 * HTTP/2, authenticated with a .p8 signing key (Pushy signs and renews the ES256 token), and maps
 * Apple's answer to an {@link Outcome} ({@link ApnsAnswers} has the table).
 *
 * <p>Bounded: at most {@link ApnsSettings#maxInFlight()} sends await an answer at once (Pushy's
 * own queues are unbounded, which has exhausted heaps in production); a send over the bound is
 * refused at once with a provider-scope retry. Every send is answered within
 * {@link ApnsSettings#timeout()}: a late answer counts as maybe sent. {@link #send} never
 * completes exceptionally.
 */
public final class ApnsProviderClient implements ProviderClient {
    private static final Logger LOG = LoggerFactory.getLogger(ApnsProviderClient.class);
    private static final Duration BUSY_DELAY = Duration.ofMillis(50);

    private final ApnsSettings settings;
    private final EventLoopGroup eventLoops;
    private final ApnsClient client;
    private final ApnsNotifications notifications;
    private final Semaphore inFlight;
    private final Clock clock;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Builds the client; connections open on first use.
     *
     * @throws IllegalArgumentException if the signing key or the trusted certificate cannot be read
     */
    public ApnsProviderClient(ApnsSettings settings) {
        this.settings = settings;
        this.clock = Clock.systemUTC();
        this.notifications = new ApnsNotifications(settings.topic(), settings.messageTtl());
        this.inFlight = new Semaphore(settings.maxInFlight());
        ApnsSigningKey key = signingKey(settings);
        this.eventLoops = pushyEventLoops(Math.min(settings.connections(), Runtime.getRuntime().availableProcessors()));
        try {
            ApnsClientBuilder builder = new ApnsClientBuilder()
                    .setApnsServer(settings.host(), settings.port())
                    .setSigningKey(key)
                    .setConcurrentConnections(settings.connections())
                    .setConnectionTimeout(settings.timeout())
                    .setEventLoopGroup(eventLoops);
            if (settings.trustedCertificate() != null) {
                builder.setTrustedServerCertificateChain(settings.trustedCertificate().toFile());
            }
            this.client = builder.build();
        } catch (SSLException | RuntimeException e) {
            eventLoops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalArgumentException("cannot set up TLS for APNs (check GROUPWIRE_APNS_TRUSTED_CERT)", e);
        }
    }

    @Override
    public Channel channel() {
        return Channel.APNS;
    }

    @Override
    public CompletableFuture<Outcome> send(Delivery delivery) {
        if (closed.get()) {
            return CompletableFuture.completedFuture(
                    Outcome.RetryLater.provider(ApnsAnswers.UNREACHABLE_DELAY, "apns_client_closed"));
        }
        if (!ApnsNotifications.plausibleToken(delivery.address())) {
            // a token that is not hex could rewrite the request path; APNs would say BadDeviceToken
            return CompletableFuture.completedFuture(new Outcome.DeadDestination("BadDeviceToken", clock.millis()));
        }
        if (!inFlight.tryAcquire()) {
            return CompletableFuture.completedFuture(Outcome.RetryLater.provider(BUSY_DELAY, "apns_in_flight_limit"));
        }
        long sentAt = clock.millis();
        try {
            SimpleApnsPushNotification notification = notifications.build(delivery);
            PushNotificationFuture<SimpleApnsPushNotification, PushNotificationResponse<SimpleApnsPushNotification>> answer =
                    client.sendNotification(notification);
            // the permit follows Pushy's own future, not our timeout: it bounds what Pushy holds
            return answer.handle((response, failure) -> {
                        inFlight.release();
                        return map(response, failure, sentAt);
                    })
                    .completeOnTimeout(ApnsAnswers.timeout(), settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            inFlight.release();
            LOG.warn("APNs send of delivery {} failed locally: {}", delivery.id(), e.toString());
            return CompletableFuture.completedFuture(new Outcome.Failed("apns_request_invalid"));
        }
    }

    private static Outcome map(PushNotificationResponse<?> response, Throwable failure, long sentAt) {
        try {
            return failure != null ? ApnsAnswers.fromFailure(failure) : ApnsAnswers.fromResponse(response, sentAt);
        } catch (RuntimeException e) {
            LOG.warn("unmappable APNs answer: {}", e.toString());
            return new Outcome.RetryLater(Duration.ZERO, "apns_unmappable_answer", Outcome.Scope.DESTINATION, true);
        }
    }

    /** Sends awaiting an answer now (for metrics and tests). */
    public int inFlight() {
        return settings.maxInFlight() - inFlight.availablePermits();
    }

    /** Closes the connections without waiting for answers still due (at most a couple of seconds). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            client.close().get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("APNs client did not close cleanly: {}", e.toString());
        } finally {
            eventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static ApnsSigningKey signingKey(ApnsSettings settings) {
        try {
            return ApnsSigningKey.loadFromInputStream(
                    new ByteArrayInputStream(settings.signingKeyPem().getBytes(StandardCharsets.UTF_8)),
                    settings.teamId(), settings.keyId());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // the message of a parser exception could quote the key: keep it out
            throw new IllegalArgumentException("GROUPWIRE_APNS_KEY_FILE does not hold a readable EC P-256 .p8 key");
        }
    }

    /**
     * Pushy 0.15.4 chooses its channel class by the name of the group's class and knows only Netty
     * 4.1's groups: Netty 4.2 deprecates {@link NioEventLoopGroup} for {@code MultiThreadIoEventLoopGroup},
     * which Pushy would refuse. The deprecated class still runs on 4.2 (it is a
     * {@code MultiThreadIoEventLoopGroup} with the NIO handler underneath).
     */
    @SuppressWarnings("deprecation")
    private static EventLoopGroup pushyEventLoops(int threads) {
        return new NioEventLoopGroup(threads);
    }
}

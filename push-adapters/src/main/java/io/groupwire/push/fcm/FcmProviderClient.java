package io.groupwire.push.fcm;

import io.groupwire.core.delivery.Outcome;
import io.groupwire.core.delivery.Outcome.Scope;
import io.groupwire.core.delivery.ProviderClient;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.push.ProviderAnswer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FCM provider client: sends each delivery as one HTTP v1 {@code messages:send} request over
 * HTTP/2 (ALPN for https, h2c with prior knowledge for http), authenticated with an OAuth2 access
 * token from the service account ({@link AccessTokenSource}: cached, refreshed before expiry, one
 * refresh at a time), and maps FCM's answer to an {@link Outcome} ({@link FcmAnswers} has the
 * table).
 *
 * <p>A 401 makes the client drop its token, fetch a new one and send once more; a second 401
 * holds the provider. Answers are read up to 64 KiB. At most {@link FcmSettings#maxInFlight()}
 * sends await an answer at once; every send is answered within {@link FcmSettings#timeout()}, as
 * maybe sent if the request had been written. {@link #send} never completes exceptionally.
 */
public final class FcmProviderClient implements ProviderClient {
    private static final Logger LOG = LoggerFactory.getLogger(FcmProviderClient.class);
    private static final int MAX_ANSWER_BYTES = 64 * 1024;
    private static final Duration BUSY_DELAY = Duration.ofMillis(50);
    private static final Duration UNREACHABLE_DELAY = Duration.ofSeconds(1);
    private static final Duration TOKEN_UNAVAILABLE_DELAY = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final FcmSettings settings;
    private final HttpClient fcm;
    private final HttpClient oauth;
    private final AccessTokenSource tokens;
    private final String sendUri;
    private final Semaphore inFlight;
    private final Clock clock = Clock.systemUTC();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Builds the client on {@code vertx} (which it does not close); connections open on first use.
     *
     * @throws IllegalArgumentException if the service account cannot be read
     */
    public FcmProviderClient(Vertx vertx, FcmSettings settings) {
        this.vertx = vertx;
        this.settings = settings;
        ServiceAccount account = ServiceAccount.parse(settings.serviceAccountJson());
        boolean tls = "https".equals(URI.create(settings.endpoint()).getScheme());
        int connectTimeout = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
        HttpClientOptions fcmOptions = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false)
                .setUseAlpn(tls)
                .setConnectTimeout(connectTimeout);
        HttpClientOptions oauthOptions = new HttpClientOptions().setConnectTimeout(connectTimeout);
        if (settings.trustedCertificate() != null) {
            PemTrustOptions trust = new PemTrustOptions().addCertPath(settings.trustedCertificate().toString());
            fcmOptions.setTrustOptions(trust);
            oauthOptions.setTrustOptions(trust);
        }
        this.fcm = vertx.createHttpClient(fcmOptions,
                new PoolOptions().setHttp2MaxSize(settings.connections()).setMaxWaitQueueSize(settings.maxInFlight()));
        this.oauth = vertx.createHttpClient(oauthOptions, new PoolOptions().setHttp1MaxSize(2));
        this.tokens = new AccessTokenSource(oauth, account, settings.timeout(), clock);
        this.sendUri = settings.endpoint() + "/v1/projects/" + account.projectId() + "/messages:send";
        this.inFlight = new Semaphore(settings.maxInFlight());
    }

    @Override
    public Channel channel() {
        return Channel.FCM;
    }

    @Override
    public CompletableFuture<Outcome> send(Delivery delivery) {
        if (closed.get()) {
            return CompletableFuture.completedFuture(Outcome.RetryLater.provider(UNREACHABLE_DELAY, "fcm_client_closed"));
        }
        if (!inFlight.tryAcquire()) {
            return CompletableFuture.completedFuture(Outcome.RetryLater.provider(BUSY_DELAY, "fcm_in_flight_limit"));
        }
        Exchange exchange;
        try {
            exchange = new Exchange(FcmMessages.body(delivery, settings.messageTtl(), clock.millis()), clock.millis());
        } catch (RuntimeException e) {
            inFlight.release();
            LOG.warn("FCM send of delivery {} failed locally: {}", delivery.id(), e.toString());
            return CompletableFuture.completedFuture(new Outcome.Failed("fcm_request_invalid"));
        }
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        long timer = vertx.setTimer(settings.timeout().toMillis(), id -> {
            if (result.complete(new Outcome.RetryLater(Duration.ZERO, "fcm_timeout", Scope.DESTINATION,
                    exchange.written))) {
                exchange.abort();
            }
        });
        result.whenComplete((o, e) -> {
            vertx.cancelTimer(timer);
            inFlight.release();
        });
        attempt(exchange).onComplete(ar -> result.complete(ar.succeeded() ? ar.result()
                : new Outcome.RetryLater(Duration.ZERO, "fcm_unmappable_answer", Scope.DESTINATION, exchange.written)));
        return result;
    }

    private Future<Outcome> attempt(Exchange exchange) {
        return tokens.token().transform(token -> {
            if (token.failed()) {
                return Future.succeededFuture(tokenUnavailable(token.cause()));
            }
            return post(exchange, token.result());
        });
    }

    private Future<Outcome> post(Exchange exchange, String token) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(sendUri)
                .putHeader("authorization", "Bearer " + token)
                .putHeader("content-type", "application/json; charset=UTF-8")
                .putHeader("accept", "application/json");
        return fcm.request(options).transform(connected -> {
            if (connected.failed()) {
                return Future.succeededFuture(
                        new Outcome.RetryLater(UNREACHABLE_DELAY, "fcm_unreachable", Scope.PROVIDER, false));
            }
            HttpClientRequest request = connected.result();
            exchange.request = request;
            exchange.written = true;
            return request.send(Buffer.buffer(exchange.body))
                    .compose(response -> ProviderAnswer.read(response, MAX_ANSWER_BYTES))
                    .transform(answered -> {
                        if (answered.failed()) {
                            return Future.succeededFuture(new Outcome.RetryLater(Duration.ZERO, "fcm_connection_lost",
                                    Scope.DESTINATION, true));
                        }
                        ProviderAnswer answer = answered.result();
                        if (answer.status() == 401 && !exchange.refreshed
                                && !"THIRD_PARTY_AUTH_ERROR".equals(FcmErrorBody.of(answer).errorCode())) {
                            // our token was refused (revoked, or expired early): one fresh token, one more try
                            exchange.refreshed = true;
                            tokens.invalidate(token);
                            return attempt(exchange);
                        }
                        return Future.succeededFuture(FcmAnswers.map(answer, exchange.sentAtMillis, clock));
                    });
        });
    }

    private static Outcome tokenUnavailable(Throwable cause) {
        if (cause instanceof AccessTokenSource.TokenFailure failure && failure.credentialsRejected()) {
            return Outcome.RetryLater.provider(FcmAnswers.CREDENTIALS_DELAY, failure.getMessage());
        }
        String reason = cause instanceof AccessTokenSource.TokenFailure f ? f.getMessage() : "fcm_token_unavailable";
        return Outcome.RetryLater.provider(TOKEN_UNAVAILABLE_DELAY, reason);
    }

    /** How many access tokens this client has requested (for metrics and tests). */
    public int tokenFetches() {
        return tokens.fetches();
    }

    /** Sends awaiting an answer now (for metrics and tests). */
    public int inFlight() {
        return settings.maxInFlight() - inFlight.availablePermits();
    }

    /** Closes the connections; answers still due complete as timeouts or lost connections. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            fcm.close();
            oauth.close();
        }
    }

    /** One send's state, shared by its attempts and its timer. */
    private static final class Exchange {
        final String body;
        final long sentAtMillis;
        volatile HttpClientRequest request;
        volatile boolean written;
        volatile boolean refreshed;

        Exchange(String body, long sentAtMillis) {
            this.body = body;
            this.sentAtMillis = sentAtMillis;
        }

        void abort() {
            HttpClientRequest r = request;
            if (r != null) {
                r.reset();
            }
        }
    }
}

package io.groupwire.sms.twilio;

import io.groupwire.core.delivery.Outcome;
import io.groupwire.core.delivery.ProviderClient;
import io.groupwire.core.delivery.RetryAfter;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.sms.SmsEncoder;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends SMS through a Twilio-style Messages API: {@code POST {base}/2010-04-01/Accounts/{sid}/Messages.json}
 * with the form fields {@code To}, {@code From} and {@code Body} (the delivery's display text), HTTP
 * basic auth with the account sid and auth token.
 *
 * <p>Every request has one time budget ({@link TwilioSettings#timeout()}) covering the wait for a
 * connection, the exchange and the body of the answer; requests in progress are bounded
 * ({@link TwilioSettings#maxInFlight()}, also the size of the keep-alive connection pool), and an
 * answer body is read up to {@value #MAX_ANSWER_BYTES} bytes only. {@link #send} never completes
 * exceptionally: answers and failures map to outcomes as {@link TwilioOutcomes} describes.
 *
 * <p>Built on Vert.x's core {@link HttpClient} rather than WebClient because the outcome of a failed
 * SMS request hinges on one fact WebClient does not expose: whether a connection was obtained and
 * the request written. Before that, a retry is safe; after it, the SMS may have gone out.
 */
public final class TwilioSmsClient implements ProviderClient {
    /** The most of an answer body that is read; Twilio's answers are a few hundred bytes. */
    public static final int MAX_ANSWER_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(TwilioSmsClient.class);

    private final Vertx vertx;
    private final TwilioSettings settings;
    private final SmsEncoder encoder;
    private final Clock clock;
    private final HttpClient http;
    private final Semaphore inFlight;
    private final String host;
    private final int port;
    private final boolean ssl;
    private final String path;
    private final String authorization;
    private final AtomicBoolean closed = new AtomicBoolean();

    public TwilioSmsClient(Vertx vertx, TwilioSettings settings) {
        this(vertx, settings, SmsEncoder.standard(), Clock.systemUTC());
    }

    public TwilioSmsClient(Vertx vertx, TwilioSettings settings, SmsEncoder encoder, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ssl = "https".equalsIgnoreCase(settings.baseUrl().getScheme());
        this.host = settings.baseUrl().getHost();
        this.port = settings.baseUrl().getPort() > 0 ? settings.baseUrl().getPort() : ssl ? 443 : 80;
        String prefix = settings.baseUrl().getRawPath() == null ? "" : settings.baseUrl().getRawPath();
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        this.path = prefix + "/2010-04-01/Accounts/" + settings.accountSid() + "/Messages.json";
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (settings.accountSid() + ":" + settings.authToken()).getBytes(StandardCharsets.UTF_8));
        this.inFlight = new Semaphore(settings.maxInFlight());
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
        HttpClientOptions options = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                // shorter than common server idle timeouts: reusing a connection the server is
                // closing would turn a harmless stale socket into a "maybe sent" SMS
                .setKeepAliveTimeout(30)
                .setConnectTimeout(timeoutMillis)
                .setSsl(ssl)
                .setVerifyHost(true)
                .setMaxRedirects(0)
                .setMaxInitialLineLength(4096)
                .setMaxHeaderSize(16 * 1024);
        this.http = vertx.createHttpClient(options, new PoolOptions()
                .setHttp1MaxSize(settings.maxInFlight())
                .setMaxWaitQueueSize(settings.maxInFlight()));
    }

    @Override
    public Channel channel() {
        return Channel.SMS;
    }

    /** The number of segments of the delivery's display text: what carriers count. */
    @Override
    public int cost(Delivery delivery) {
        String text = delivery.displayText();
        return encoder.segments(text == null ? "" : text);
    }

    /** Requests in progress now (for a gauge). */
    public int inFlight() {
        return settings.maxInFlight() - inFlight.availablePermits();
    }

    @Override
    public CompletableFuture<Outcome> send(Delivery delivery) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        try {
            String body = delivery.displayText();
            if (delivery.channel() != Channel.SMS) {
                result.complete(new Outcome.Failed("not_sms"));
            } else if (body == null || body.isEmpty()) {
                result.complete(new Outcome.Failed("empty_body"));
            } else if (closed.get()) {
                result.complete(TwilioOutcomes.notConnected(false));
            } else {
                // the member's reply number for the group, so that a reply finds the group; else the account's sender
                String from = delivery.fromAddress() != null ? delivery.fromAddress() : settings.from();
                Buffer form = form(delivery.address(), from, body);
                if (!inFlight.tryAcquire()) {
                    result.complete(TwilioOutcomes.saturated());
                } else {
                    new Exchange(result, form).start();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("twilio send failed locally: {}", e.toString());
            result.complete(localError());
        }
        return result;
    }

    /** A local fault before anything was written: safe to retry. */
    private static Outcome localError() {
        return new Outcome.RetryLater(java.time.Duration.ZERO, "client_error", Outcome.Scope.DESTINATION, false);
    }

    private static Buffer form(String to, String from, String body) {
        return Buffer.buffer("To=" + encode(to) + "&From=" + encode(from) + "&Body=" + encode(body));
    }

    private static String encode(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            http.close();
        }
    }

    /** One request and its answer, under one time budget. */
    private final class Exchange {
        private final CompletableFuture<Outcome> result;
        private final Buffer form;
        private final long timeoutMillis = settings.timeout().toMillis();
        private final long startNanos = System.nanoTime();
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile boolean timedOut;
        private volatile long timerId = -1;
        // touched only on the connection's event loop once the answer's head arrived
        private HttpClientResponse response;
        private byte[] bytes;
        private int length;

        Exchange(CompletableFuture<Outcome> result, Buffer form) {
            this.result = result;
            this.form = form;
        }

        void start() {
            try {
                request();
            } catch (RuntimeException e) {
                LOG.warn("twilio send failed locally: {}", e.toString());
                finish(localError());
            }
        }

        private void request() {
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setHost(host)
                    .setPort(port)
                    .setSsl(ssl)
                    .setURI(path)
                    .setFollowRedirects(false)
                    .setConnectTimeout(timeoutMillis)
                    .putHeader(HttpHeaders.AUTHORIZATION, authorization)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded; charset=utf-8")
                    .putHeader(HttpHeaders.ACCEPT, "application/json")
                    .putHeader(HttpHeaders.USER_AGENT, "groupwire-sms");
            http.request(options).onComplete(ar -> {
                if (ar.failed()) {
                    finish(TwilioOutcomes.notConnected(ar.cause() instanceof TimeoutException));
                } else {
                    write(ar.result());
                }
            });
        }

        private void write(HttpClientRequest request) {
            long remaining = timeoutMillis - (System.nanoTime() - startNanos) / 1_000_000;
            if (remaining <= 0) {
                request.reset();
                finish(TwilioOutcomes.notConnected(true));
                return;
            }
            timerId = vertx.setTimer(remaining, id -> {
                timedOut = true;
                request.reset(0, new TimeoutException("twilio request exceeded its budget"));
            });
            request.send(form).onComplete(ar -> {
                if (ar.failed()) {
                    finish(TwilioOutcomes.noAnswer(timedOut));
                } else {
                    read(ar.result());
                }
            });
        }

        private void read(HttpClientResponse answer) {
            response = answer;
            bytes = new byte[1024];
            answer.exceptionHandler(e -> finishWithAnswer());
            answer.handler(chunk -> {
                int room = MAX_ANSWER_BYTES - length;
                int take = Math.min(room, chunk.length());
                ensure(length + take);
                chunk.getBytes(0, take, bytes, length);
                length += take;
                if (take < chunk.length()) {
                    // no need for the rest; resetting closes the connection instead of draining it
                    finishWithAnswer();
                    answer.request().reset();
                }
            });
            answer.endHandler(v -> finishWithAnswer());
        }

        private void ensure(int capacity) {
            if (capacity > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.min(MAX_ANSWER_BYTES, Math.max(capacity, bytes.length * 2)));
            }
        }

        /** The status line arrived, so the outcome is known even if the body was cut short. */
        private void finishWithAnswer() {
            if (done.get()) {
                return;
            }
            finish(TwilioOutcomes.answer(response.statusCode(),
                    RetryAfter.parse(response.getHeader(HttpHeaders.RETRY_AFTER), clock).orElse(null),
                    TwilioAnswer.parse(bytes, length), settings.authRetryDelay()));
        }

        /** The first outcome wins; the permit is back before anyone sees the result. */
        private void finish(Outcome outcome) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            long id = timerId;
            if (id >= 0) {
                vertx.cancelTimer(id);
            }
            inFlight.release();
            result.complete(outcome);
        }
    }
}

package io.groupwire.push.fcm;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import io.groupwire.core.json.Json;
import io.groupwire.push.ProviderAnswer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * OAuth2 access tokens for FCM, obtained from the service account with the JWT bearer grant
 * (RFC 7523): an RS256 assertion signed with the account's key, exchanged at its {@code token_uri}.
 *
 * <p>A token is reused until shortly before it expires (a tenth of its lifetime, at most a
 * minute, before); from then on the next caller starts a refresh in the background while the old
 * token is still handed out. Only one refresh runs at a time, and every caller that needs a token
 * while none is valid waits for that same refresh. Thread-safe.
 */
final class AccessTokenSource {
    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final int MAX_ANSWER_BYTES = 64 * 1024;
    /** Printable ASCII without spaces: the token goes into a header, so nothing else is accepted. */
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]{1,4096}");
    private static final long DEFAULT_LIFETIME_SECONDS = 3600;

    /** A token and when to replace it. */
    private record AccessToken(String value, long refreshAtMillis, long expiresAtMillis) {
    }

    /** Why no token could be had; never carries a secret. */
    static final class TokenFailure extends Exception {
        private final boolean credentialsRejected;

        TokenFailure(String reason, boolean credentialsRejected) {
            super(reason, null, false, false);
            this.credentialsRejected = credentialsRejected;
        }

        /** True when the token endpoint refused the assertion (wrong key, unknown account). */
        boolean credentialsRejected() {
            return credentialsRejected;
        }
    }

    private final HttpClient http;
    private final ServiceAccount account;
    private final Algorithm signer;
    private final Duration timeout;
    private final Clock clock;
    private final AtomicInteger fetches = new AtomicInteger();
    private AccessToken current;
    private Future<String> refreshing;
    /** After a failed refresh, callers without a valid token fail fast until then: no hammering. */
    private long quietUntilMillis;
    private TokenFailure lastFailure;

    AccessTokenSource(HttpClient http, ServiceAccount account, Duration timeout, Clock clock) {
        this.http = http;
        this.account = account;
        this.signer = Algorithm.RSA256(null, account.privateKey());
        this.timeout = timeout;
        this.clock = clock;
    }

    /** A valid token; fails with a {@link TokenFailure} when none can be had. */
    synchronized Future<String> token() {
        long now = clock.millis();
        if (current != null && now < current.refreshAtMillis()) {
            return Future.succeededFuture(current.value());
        }
        if (refreshing == null && now < quietUntilMillis) {
            return current != null && now < current.expiresAtMillis()
                    ? Future.succeededFuture(current.value()) : Future.failedFuture(lastFailure);
        }
        Future<String> refresh = refreshing != null ? refreshing : startRefresh();
        if (current != null && now < current.expiresAtMillis()) {
            return Future.succeededFuture(current.value());
        }
        return refresh;
    }

    /** Forgets {@code rejected} if it is still the current token (FCM answered 401 to it). */
    synchronized void invalidate(String rejected) {
        if (current != null && current.value().equals(rejected)) {
            current = null;
        }
    }

    /** How many times a token was requested from the token endpoint. */
    int fetches() {
        return fetches.get();
    }

    private Future<String> startRefresh() {
        Promise<String> promise = Promise.promise();
        Future<String> refresh = promise.future();
        refreshing = refresh;
        fetch().onComplete(ar -> {
            synchronized (this) {
                if (refreshing == refresh) {
                    refreshing = null;
                }
                if (ar.succeeded()) {
                    current = ar.result();
                    quietUntilMillis = 0;
                } else {
                    lastFailure = ar.cause() instanceof TokenFailure f ? f
                            : new TokenFailure("fcm_token_endpoint_unreachable", false);
                    quietUntilMillis = clock.millis() + (lastFailure.credentialsRejected() ? 10_000 : 1_000);
                }
            }
            if (ar.succeeded()) {
                promise.complete(ar.result().value());
            } else {
                promise.fail(ar.cause());
            }
        });
        return refresh;
    }

    private Future<AccessToken> fetch() {
        fetches.incrementAndGet();
        String form;
        try {
            form = "grant_type=" + URLEncoder.encode(GRANT_TYPE, StandardCharsets.UTF_8)
                    + "&assertion=" + URLEncoder.encode(assertion(), StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return Future.failedFuture(new TokenFailure("fcm_assertion_unsigned", true));
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(account.tokenUri().toString())
                .putHeader("content-type", "application/x-www-form-urlencoded")
                .putHeader("accept", "application/json")
                .setIdleTimeout(timeout.toMillis());
        long requestedAt = clock.millis();
        // the body is read in a callback on send()'s own future: a hop through another future's
        // context could run it after the body arrived, and Vert.x drops chunks nobody handles
        return http.request(options)
                .compose(request -> request.send(Buffer.buffer(form))
                        .compose(response -> ProviderAnswer.read(response, MAX_ANSWER_BYTES)))
                .recover(e -> Future.failedFuture(new TokenFailure("fcm_token_endpoint_unreachable", false)))
                .compose(answer -> parse(answer, requestedAt));
    }

    private String assertion() {
        Instant now = clock.instant();
        return JWT.create()
                .withKeyId(account.privateKeyId())
                .withIssuer(account.clientEmail())
                .withAudience(account.tokenUri().toString())
                .withClaim("scope", SCOPE)
                .withIssuedAt(now)
                .withExpiresAt(now.plus(Duration.ofHours(1)))
                .sign(signer);
    }

    private static Future<AccessToken> parse(ProviderAnswer answer, long requestedAt) {
        int status = answer.status();
        if (status == 400 || status == 401 || status == 403) {
            return Future.failedFuture(new TokenFailure("fcm_credentials_rejected", true));
        }
        if (status != 200) {
            return Future.failedFuture(new TokenFailure("fcm_token_endpoint_error", false));
        }
        try {
            JsonNode root = answer.complete() ? Json.mapper().readTree(answer.text()) : null;
            JsonNode value = root == null ? null : root.path("access_token");
            if (value == null || !value.isTextual() || !TOKEN.matcher(value.asText()).matches()) {
                return Future.failedFuture(new TokenFailure("fcm_token_answer_unreadable", false));
            }
            JsonNode expiresIn = root.path("expires_in");
            long lifetimeSeconds = expiresIn.canConvertToLong() && expiresIn.asLong() > 0
                    ? Math.min(expiresIn.asLong(), 86_400) : DEFAULT_LIFETIME_SECONDS;
            long lifetimeMillis = lifetimeSeconds * 1000;
            long margin = Math.min(60_000, lifetimeMillis / 10);
            long expiresAt = requestedAt + lifetimeMillis;
            return Future.succeededFuture(new AccessToken(value.asText(), expiresAt - margin, expiresAt));
        } catch (Exception e) {
            return Future.failedFuture(new TokenFailure("fcm_token_answer_unreadable", false));
        }
    }
}

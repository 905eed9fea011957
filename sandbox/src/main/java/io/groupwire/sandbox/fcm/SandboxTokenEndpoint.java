package io.groupwire.sandbox.fcm;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sandbox's OAuth2 token endpoint, playing Google's: takes the JWT bearer grant, verifies the
 * assertion (RS256 signature by the sandbox service account's key, issuer = its client email,
 * audience = this endpoint, a messaging scope, issued within the last hour for at most an hour)
 * and issues a random bearer token that {@link SandboxSendEndpoint} accepts until it expires.
 * Errors are OAuth2's {@code {"error", "error_description"}} with 400, as Google answers.
 */
final class SandboxTokenEndpoint implements Handler<RoutingContext> {
    /** The OAuth2 JWT bearer grant (RFC 7523) that service accounts use. */
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** The scope that lets an access token send FCM messages. */
    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    private static final int MAX_LIVE_TOKENS = 100_000;
    private static final Duration MAX_ASSERTION_LIFETIME = Duration.ofHours(1);
    private static final long LEEWAY_SECONDS = 60;

    private final FcmSandboxCredentials credentials;
    private final Duration tokenLifetime;
    private final Clock clock;
    private final Map<String, Long> live = new ConcurrentHashMap<>();
    private final AtomicInteger issued = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();

    SandboxTokenEndpoint(FcmSandboxCredentials credentials, Duration tokenLifetime, Clock clock) {
        this.credentials = credentials;
        this.tokenLifetime = tokenLifetime;
        this.clock = clock;
    }

    @Override
    public void handle(RoutingContext ctx) {
        SandboxAnswers answer = answer(ctx);
        SandboxAnswers.respond(ctx, answer);
    }

    private SandboxAnswers answer(RoutingContext ctx) {
        String type = ctx.request().getHeader("content-type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return SandboxAnswers.oauthError("invalid_request", "The request must be application/x-www-form-urlencoded.");
        }
        String grant = ctx.request().getFormAttribute("grant_type");
        if (!GRANT_TYPE.equals(grant)) {
            return SandboxAnswers.oauthError("unsupported_grant_type", "Invalid grant_type.");
        }
        String assertion = ctx.request().getFormAttribute("assertion");
        if (assertion == null || assertion.isBlank()) {
            return SandboxAnswers.oauthError("invalid_request", "Missing required parameter: assertion");
        }
        DecodedJWT jwt;
        try {
            jwt = JWT.require(Algorithm.RSA256(credentials.publicKey(), null))
                    .withIssuer(FcmSandboxCredentials.CLIENT_EMAIL)
                    .withAudience(credentials.tokenUri())
                    .withClaimPresence("scope")
                    .withClaimPresence("iat")
                    .withClaimPresence("exp")
                    .acceptLeeway(LEEWAY_SECONDS)
                    .build()
                    .verify(assertion);
        } catch (JWTVerificationException | IllegalArgumentException e) {
            return SandboxAnswers.oauthError("invalid_grant", "Invalid JWT: " + e.getClass().getSimpleName());
        }
        String scope = jwt.getClaim("scope").asString();
        if (scope == null || !(scope.contains(SCOPE)
                || scope.contains("https://www.googleapis.com/auth/cloud-platform"))) {
            return SandboxAnswers.oauthError("invalid_scope", "The assertion's scope does not cover FCM.");
        }
        long lifetime = jwt.getExpiresAtAsInstant().getEpochSecond() - jwt.getIssuedAtAsInstant().getEpochSecond();
        if (lifetime <= 0 || lifetime > MAX_ASSERTION_LIFETIME.toSeconds()) {
            return SandboxAnswers.oauthError("invalid_grant",
                    "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.");
        }
        return SandboxAnswers.ok(issue());
    }

    private JsonObject issue() {
        long now = clock.millis();
        if (live.size() >= MAX_LIVE_TOKENS) {
            live.values().removeIf(expiry -> expiry <= now);
            if (live.size() >= MAX_LIVE_TOKENS) {
                live.clear();
            }
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = "ya29.sandbox." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        live.put(token, now + tokenLifetime.toMillis());
        issued.incrementAndGet();
        return new JsonObject().put("access_token", token)
                .put("expires_in", Math.max(1, tokenLifetime.toSeconds()))
                .put("token_type", "Bearer");
    }

    /** Whether {@code token} was issued here and has not expired or been revoked. */
    boolean valid(String token) {
        Long expiry = token == null ? null : live.get(token);
        return expiry != null && expiry > clock.millis();
    }

    int issued() {
        return issued.get();
    }

    void revokeAll() {
        live.clear();
    }
}

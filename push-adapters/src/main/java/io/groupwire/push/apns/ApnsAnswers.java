package io.groupwire.push.apns;

import com.eatthepath.pushy.apns.PushNotificationResponse;
import io.groupwire.core.delivery.Outcome;
import io.groupwire.core.delivery.Outcome.Scope;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Maps APNs' answers and Pushy's failures to outcomes, following docs/providers.md (APNs; what all three have in common):
 *
 * <ul>
 * <li>200: delivered, with the apns-id.</li>
 * <li>410 Unregistered / ExpiredToken: dead destination since APNs' timestamp.</li>
 * <li>400 BadDeviceToken / DeviceTokenNotForTopic: dead destination (as of the send).</li>
 * <li>Other 400s, 404, 405, 413: failed; resending the same request cannot help.</li>
 * <li>403 (credentials): the whole provider waits {@link #CREDENTIALS_DELAY}.</li>
 * <li>429 TooManyRequests: this device waits {@link #DEVICE_THROTTLE_DELAY};
 *     429 TooManyProviderTokenUpdates: the provider waits {@link #CREDENTIALS_DELAY}.</li>
 * <li>500: this delivery retries after a brief back-off, maybe sent (APNs may have taken it); 503:
 *     the same, not sent. Apple's advice is to retry the request, not to slow the provider: one
 *     server's error among thousands of accepted requests must not pause every device.</li>
 * <li>Connection failures before anything was written: the provider waits briefly, not sent.
 *     Every other failure (reset or closed mid-stream, timeout) may have reached APNs: maybe sent.</li>
 * </ul>
 *
 * <p>Reasons outside Apple's documented list are reported as {@code Other}, so that a misbehaving
 * server cannot invent metric labels.
 */
final class ApnsAnswers {
    static final Duration CREDENTIALS_DELAY = Duration.ofSeconds(60);
    static final Duration DEVICE_THROTTLE_DELAY = Duration.ofMinutes(3);
    static final Duration SERVER_ERROR_DELAY = Duration.ofSeconds(1);
    static final Duration UNREACHABLE_DELAY = Duration.ofSeconds(1);

    private static final Set<String> KNOWN_REASONS = Set.of(
            "BadCollapseId", "BadDeviceToken", "BadExpirationDate", "BadMessageId", "BadPriority", "BadTopic",
            "DeviceTokenNotForTopic", "DuplicateHeaders", "IdleTimeout", "InvalidPushType", "MissingDeviceToken",
            "MissingTopic", "PayloadEmpty", "TopicDisallowed", "BadCertificate", "BadCertificateEnvironment",
            "ExpiredProviderToken", "Forbidden", "InvalidProviderToken", "MissingProviderToken",
            "UnrelatedKeyIdInToken", "BadEnvironmentKeyIdInToken", "BadPath", "MethodNotAllowed", "ExpiredToken",
            "Unregistered", "PayloadTooLarge", "TooManyProviderTokenUpdates", "TooManyRequests",
            "InternalServerError", "ServiceUnavailable", "Shutdown");

    private ApnsAnswers() {
    }

    static Outcome fromResponse(PushNotificationResponse<?> response, long sentAtMillis) {
        if (response.isAccepted()) {
            return new Outcome.Delivered(String.valueOf(response.getApnsId()));
        }
        int status = response.getStatusCode();
        String reason = normalize(response.getRejectionReason().orElse(null), status);
        switch (status) {
            case 410:
                return new Outcome.DeadDestination(reason, response.getTokenInvalidationTimestamp()
                        .map(Instant::toEpochMilli).orElse(sentAtMillis));
            case 400:
                if (reason.equals("BadDeviceToken") || reason.equals("DeviceTokenNotForTopic")) {
                    return new Outcome.DeadDestination(reason, sentAtMillis);
                }
                return new Outcome.Failed(reason);
            case 403:
                return Outcome.RetryLater.provider(CREDENTIALS_DELAY, reason);
            case 404, 405, 413:
                return new Outcome.Failed(reason);
            case 429:
                return reason.equals("TooManyProviderTokenUpdates")
                        ? Outcome.RetryLater.provider(CREDENTIALS_DELAY, reason)
                        : Outcome.RetryLater.destination(DEVICE_THROTTLE_DELAY, reason);
            case 503:
                return Outcome.RetryLater.destination(SERVER_ERROR_DELAY, reason);
            default:
                if (status >= 500 && status <= 599) {
                    return new Outcome.RetryLater(SERVER_ERROR_DELAY, reason, Scope.DESTINATION, true);
                }
                return new Outcome.Failed(reason);
        }
    }

    static Outcome fromFailure(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (beforeWrite(cause)) {
            return new Outcome.RetryLater(UNREACHABLE_DELAY, "apns_unreachable", Scope.PROVIDER, false);
        }
        return new Outcome.RetryLater(Duration.ZERO, "apns_connection_lost", Scope.DESTINATION, true);
    }

    static Outcome timeout() {
        return new Outcome.RetryLater(Duration.ZERO, "apns_timeout", Scope.DESTINATION, true);
    }

    /** Failures that prove nothing reached APNs: no connection, no TLS session, or a closed client. */
    private static boolean beforeWrite(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException || t instanceof UnresolvedAddressException
                    || t instanceof SSLHandshakeException || t instanceof IllegalStateException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String normalize(String reason, int status) {
        if (reason != null && KNOWN_REASONS.contains(reason)) {
            return reason;
        }
        return reason == null ? "http_" + status : "Other";
    }
}

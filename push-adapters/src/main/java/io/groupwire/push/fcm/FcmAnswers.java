package io.groupwire.push.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupwire.core.delivery.Outcome;
import io.groupwire.core.delivery.Outcome.Scope;
import io.groupwire.core.delivery.RetryAfter;
import io.groupwire.core.json.Json;
import io.groupwire.push.ProviderAnswer;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * Maps FCM HTTP v1 answers to outcomes, following docs/providers.md (FCM; what all three have in common). FCM's own error code
 * (the FcmError detail) decides when present, else Google's status, else the HTTP status:
 *
 * <ul>
 * <li>200 with a JSON {@code name}: delivered. A 200 without one (wrong content type, garbage,
 *     cut short) cannot be trusted either way: retry, maybe sent.</li>
 * <li>UNREGISTERED: dead destination. INVALID_ARGUMENT: dead destination when the violation is on
 *     the token (a {@code message.token} field violation, or FCM's "not a valid FCM registration
 *     token" message), otherwise failed. SENDER_ID_MISMATCH: dead destination.</li>
 * <li>QUOTA_EXCEEDED or 429: the whole provider waits, {@code Retry-After} or
 *     {@link #QUOTA_DELAY}.</li>
 * <li>UNAVAILABLE, INTERNAL, other 5xx: the provider waits {@code Retry-After}, or lets the pacer
 *     back off with jitter.</li>
 * <li>401 (after the one token refresh the client makes) and other 403s: the provider waits
 *     {@link #CREDENTIALS_DELAY}. THIRD_PARTY_AUTH_ERROR (the APNs key uploaded to Firebase is
 *     wrong): this device waits {@link #THIRD_PARTY_DELAY}, as only iOS devices suffer.</li>
 * <li>404 without UNREGISTERED means a wrong endpoint or project, not a dead token: the provider
 *     waits {@link #CREDENTIALS_DELAY}.</li>
 * <li>UNSPECIFIED_ERROR: retry, pacer's back-off. Other 4xx: failed.</li>
 * </ul>
 *
 * <p>Reasons outside FCM's documented codes are reported as {@code http_<status>}, so that a
 * misbehaving server cannot invent metric labels.
 */
final class FcmAnswers {
    static final Duration QUOTA_DELAY = Duration.ofSeconds(60);
    static final Duration CREDENTIALS_DELAY = Duration.ofSeconds(60);
    static final Duration THIRD_PARTY_DELAY = Duration.ofMinutes(5);
    private static final String INVALID_TOKEN_MESSAGE = "not a valid FCM registration token";
    private static final Set<String> KNOWN_CODES = Set.of("UNREGISTERED", "INVALID_ARGUMENT", "SENDER_ID_MISMATCH",
            "QUOTA_EXCEEDED", "UNAVAILABLE", "INTERNAL", "THIRD_PARTY_AUTH_ERROR", "UNSPECIFIED_ERROR",
            "UNAUTHENTICATED", "PERMISSION_DENIED", "NOT_FOUND", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
            "DEADLINE_EXCEEDED", "ABORTED", "CANCELLED", "UNKNOWN", "UNIMPLEMENTED", "OUT_OF_RANGE", "ALREADY_EXISTS",
            "DATA_LOSS");

    private FcmAnswers() {
    }

    static Outcome map(ProviderAnswer answer, long sentAtMillis, Clock clock) {
        int status = answer.status();
        if (status == 200) {
            String name = name(answer);
            return name != null ? new Outcome.Delivered(name)
                    : new Outcome.RetryLater(Duration.ZERO, "fcm_unreadable_success", Scope.PROVIDER, true);
        }
        FcmErrorBody error = FcmErrorBody.of(answer);
        String code = error.code();
        String reason = code != null && KNOWN_CODES.contains(code) ? code : "http_" + status;
        Duration retryAfter = RetryAfter.parse(answer.headers().get("retry-after"), clock).orElse(null);
        if (code != null) {
            switch (code) {
                case "UNREGISTERED", "SENDER_ID_MISMATCH":
                    return new Outcome.DeadDestination(code, sentAtMillis);
                case "INVALID_ARGUMENT":
                    return onToken(error) ? new Outcome.DeadDestination(code, sentAtMillis) : new Outcome.Failed(code);
                case "QUOTA_EXCEEDED":
                    return Outcome.RetryLater.provider(retryAfter != null ? retryAfter : QUOTA_DELAY, code);
                case "UNAVAILABLE", "INTERNAL":
                    return Outcome.RetryLater.provider(retryAfter != null ? retryAfter : Duration.ZERO, code);
                case "THIRD_PARTY_AUTH_ERROR":
                    return Outcome.RetryLater.destination(THIRD_PARTY_DELAY, code);
                case "UNSPECIFIED_ERROR":
                    return Outcome.RetryLater.destination(Duration.ZERO, code);
                default:
                    break;
            }
        }
        if (status == 429) {
            return Outcome.RetryLater.provider(retryAfter != null ? retryAfter : QUOTA_DELAY, reason);
        }
        if (status == 401 || status == 403 || status == 404) {
            return Outcome.RetryLater.provider(CREDENTIALS_DELAY, reason);
        }
        if (status >= 500 && status <= 599) {
            return Outcome.RetryLater.provider(retryAfter != null ? retryAfter : Duration.ZERO, reason);
        }
        return new Outcome.Failed(reason);
    }

    private static boolean onToken(FcmErrorBody error) {
        return error.violatedFields().contains("message.token")
                || (error.message() != null && error.message().contains(INVALID_TOKEN_MESSAGE));
    }

    /** The message name of a whole JSON success answer, or null. */
    private static String name(ProviderAnswer answer) {
        if (!answer.isJson() || !answer.complete()) {
            return null;
        }
        try {
            JsonNode name = Json.mapper().readTree(answer.text()).path("name");
            if (name.isTextual() && name.asText().startsWith("projects/") && name.asText().length() <= 512) {
                return name.asText();
            }
            return null;
        } catch (Exception e) {
            return null;
        }
    }
}

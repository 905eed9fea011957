package io.groupwire.sms.twilio;

import io.groupwire.core.delivery.Outcome;
import io.groupwire.core.delivery.Outcome.DeadDestination;
import io.groupwire.core.delivery.Outcome.Delivered;
import io.groupwire.core.delivery.Outcome.Failed;
import io.groupwire.core.delivery.Outcome.RetryLater;
import io.groupwire.core.delivery.Outcome.Scope;
import java.time.Duration;

/**
 * Twilio's answers, and the failures of talking to it, mapped to the outcomes the pacer acts on
 * (docs/providers.md, Twilio). The one rule that matters most for SMS: a request that may have
 * reached Twilio is {@code maybeSent}, because Twilio has no idempotency key and a resend could
 * text the recipient twice; only answers that say the message was never processed are safe.
 */
final class TwilioOutcomes {
    /** Wait after 429 / 20429 when Twilio gives no Retry-After. */
    static final Duration THROTTLE_DEFAULT = Duration.ofSeconds(1);
    /** Wait after 21611 (the sender's queue is full) when Twilio gives no Retry-After. */
    static final Duration QUEUE_FULL_DEFAULT = Duration.ofSeconds(30);
    /** Wait after a failed connection attempt, so that an unreachable API is not hammered. */
    static final Duration CONNECT_RETRY = Duration.ofSeconds(1);

    private TwilioOutcomes() {
    }

    /**
     * Maps a complete (or truncated) answer.
     *
     * @param status     the HTTP status
     * @param retryAfter the parsed Retry-After, null when absent
     * @param answer     what could be read from the body
     * @param authDelay  how long the channel waits after credentials were rejected
     */
    static Outcome answer(int status, Duration retryAfter, TwilioAnswer answer, Duration authDelay) {
        Integer code = answer.code();
        if (status >= 200 && status < 300) {
            // accepted, whatever the body says: resending would send the SMS twice
            return new Delivered(answer.sid());
        }
        if (status == 429 || code != null && code == TwilioErrorCodes.TOO_MANY_REQUESTS) {
            return RetryLater.provider(retryAfter != null ? retryAfter : THROTTLE_DEFAULT, "throttled");
        }
        if (status == 401 || status == 403 || code != null && code == TwilioErrorCodes.AUTHENTICATE) {
            return RetryLater.provider(authDelay, "auth_rejected");
        }
        if (status >= 500) {
            return new RetryLater(retryAfter != null ? retryAfter : Duration.ZERO, "server_error", Scope.PROVIDER, true);
        }
        if (status >= 400 && code != null) {
            switch (code) {
                case TwilioErrorCodes.INVALID_TO:
                    return new DeadDestination("invalid_number", 0);
                case TwilioErrorCodes.NOT_MOBILE:
                    return new DeadDestination("not_mobile", 0);
                case TwilioErrorCodes.OPTED_OUT:
                    return new DeadDestination("opted_out", 0);
                case TwilioErrorCodes.SENDER_QUEUE_FULL:
                    // refused before queueing, so safe to retry; the sender is over its rate
                    return RetryLater.provider(retryAfter != null ? retryAfter : QUEUE_FULL_DEFAULT, "sender_queue_full");
                default:
                    return new Failed("twilio_" + code);
            }
        }
        return new Failed("http_" + status);
    }

    /** No connection could be had: nothing was written, so a retry cannot duplicate. */
    static Outcome notConnected(boolean timedOut) {
        return new RetryLater(CONNECT_RETRY, timedOut ? "connect_timeout" : "connect_failed", Scope.PROVIDER, false);
    }

    /** The request was (or was being) written and no answer came: the SMS may have gone out. */
    static Outcome noAnswer(boolean timedOut) {
        return new RetryLater(Duration.ZERO, timedOut ? "timeout" : "connection_lost", Scope.PROVIDER, true);
    }

    /** This client already has its maximum of requests in progress; nothing was sent. */
    static Outcome saturated() {
        return new RetryLater(Duration.ZERO, "client_saturated", Scope.PROVIDER, false);
    }
}

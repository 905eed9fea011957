package io.groupwire.core.delivery;

import java.time.Duration;
import java.util.Objects;

/**
 * What became of one attempt to hand a delivery to a provider. Every adapter maps its provider's
 * answers (and its own I/O failures) to exactly one of these; the pacer acts on nothing else.
 */
public sealed interface Outcome {

    /** A short label for metrics: delivered, retry, failed, dead. */
    String label();

    /** The provider accepted the delivery. {@code providerId} is its reference (apns-id, FCM name, SMS sid). */
    record Delivered(String providerId) implements Outcome {
        @Override
        public String label() {
            return "delivered";
        }
    }

    /**
     * Not accepted now; may succeed later.
     *
     * @param delay     how long to wait at least; {@link Duration#ZERO} lets the pacer choose back-off
     * @param reason    the provider's reason, for metrics and logs
     * @param scope     whether only this destination or the whole provider must wait
     * @param maybeSent true when the request may have reached the provider (timeout after write,
     *                  reset mid-stream): a resend could duplicate
     */
    record RetryLater(Duration delay, String reason, Scope scope, boolean maybeSent) implements Outcome {
        public RetryLater {
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(scope, "scope");
        }

        public static RetryLater destination(Duration delay, String reason) {
            return new RetryLater(delay, reason, Scope.DESTINATION, false);
        }

        public static RetryLater provider(Duration delay, String reason) {
            return new RetryLater(delay, reason, Scope.PROVIDER, false);
        }

        @Override
        public String label() {
            return "retry";
        }
    }

    /** Will never succeed as sent (malformed request, payload too large, opted-out number...). */
    record Failed(String reason) implements Outcome {
        @Override
        public String label() {
            return "failed";
        }
    }

    /**
     * The destination no longer exists (APNs Unregistered/BadDeviceToken, FCM UNREGISTERED, invalid
     * phone): the device or phone must be unregistered.
     *
     * @param invalidatedAtMillis when the provider says the token became invalid, 0 if unknown;
     *                            a registration newer than this must be kept
     */
    record DeadDestination(String reason, long invalidatedAtMillis) implements Outcome {
        @Override
        public String label() {
            return "dead";
        }
    }

    /** Who must wait after a {@link RetryLater}. */
    enum Scope {
        /** Only this device or number (APNs TooManyRequests, FCM per-device quota). */
        DESTINATION,
        /** Every delivery on this channel (429 for the account, 503, credentials rejected). */
        PROVIDER
    }
}

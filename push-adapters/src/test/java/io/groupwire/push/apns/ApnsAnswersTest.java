package io.groupwire.push.apns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import io.groupwire.core.delivery.Outcome;
import io.groupwire.core.delivery.Outcome.Scope;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The answers the sandbox cannot produce (Pushy's handler API cannot express them, or they need
 * a misconfigured client), mapped as docs/providers.md (APNs) says.
 */
class ApnsAnswersTest {
    static final long SENT_AT = 1_700_000_000_000L;

    record Answer(int status, String reason, Instant invalidated) implements PushNotificationResponse<SimpleApnsPushNotification> {
        @Override
        public SimpleApnsPushNotification getPushNotification() {
            return null;
        }

        @Override
        public boolean isAccepted() {
            return status == 200;
        }

        @Override
        public UUID getApnsId() {
            return UUID.fromString("00000000-0000-0000-0000-000000000001");
        }

        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        public Optional<String> getRejectionReason() {
            return Optional.ofNullable(reason);
        }

        @Override
        public Optional<Instant> getTokenInvalidationTimestamp() {
            return Optional.ofNullable(invalidated);
        }
    }

    static Outcome map(int status, String reason) {
        return ApnsAnswers.fromResponse(new Answer(status, reason, null), SENT_AT);
    }

    @Test
    void acceptedIsDeliveredWithTheApnsId() {
        assertEquals(new Outcome.Delivered("00000000-0000-0000-0000-000000000001"), map(200, null));
    }

    @Test
    void deadTokens() {
        assertEquals(new Outcome.DeadDestination("BadDeviceToken", SENT_AT), map(400, "BadDeviceToken"));
        assertEquals(new Outcome.DeadDestination("DeviceTokenNotForTopic", SENT_AT), map(400, "DeviceTokenNotForTopic"));
        assertEquals(new Outcome.DeadDestination("ExpiredToken", 42L),
                ApnsAnswers.fromResponse(new Answer(410, "ExpiredToken", Instant.ofEpochMilli(42)), SENT_AT));
        assertEquals(new Outcome.DeadDestination("Unregistered", SENT_AT), map(410, "Unregistered"));
    }

    @Test
    void malformedRequestsFailForGood() {
        for (String reason : new String[]{"BadCollapseId", "BadExpirationDate", "BadPriority", "BadTopic",
                "DuplicateHeaders", "InvalidPushType", "MissingTopic", "PayloadEmpty", "TopicDisallowed"}) {
            assertEquals(new Outcome.Failed(reason), map(400, reason));
        }
        assertEquals(new Outcome.Failed("BadPath"), map(404, "BadPath"));
        assertEquals(new Outcome.Failed("MethodNotAllowed"), map(405, "MethodNotAllowed"));
        assertEquals(new Outcome.Failed("PayloadTooLarge"), map(413, "PayloadTooLarge"));
    }

    @Test
    void credentialProblemsHoldTheWholeProvider() {
        for (String reason : new String[]{"ExpiredProviderToken", "InvalidProviderToken", "MissingProviderToken",
                "Forbidden", "BadCertificate", "BadCertificateEnvironment"}) {
            Outcome.RetryLater r = assertInstanceOf(Outcome.RetryLater.class, map(403, reason));
            assertEquals(Scope.PROVIDER, r.scope());
            assertEquals(ApnsAnswers.CREDENTIALS_DELAY, r.delay());
            assertEquals(reason, r.reason());
        }
        Outcome.RetryLater tokenUpdates = assertInstanceOf(Outcome.RetryLater.class, map(429, "TooManyProviderTokenUpdates"));
        assertEquals(Scope.PROVIDER, tokenUpdates.scope());
    }

    @Test
    void throttlingHoldsOneDeviceAndServerErrorsRetryTheDeliveryAlone() {
        Outcome.RetryLater device = assertInstanceOf(Outcome.RetryLater.class, map(429, "TooManyRequests"));
        assertEquals(Scope.DESTINATION, device.scope());
        assertEquals(ApnsAnswers.DEVICE_THROTTLE_DELAY, device.delay());

        Outcome.RetryLater internal = assertInstanceOf(Outcome.RetryLater.class, map(500, "InternalServerError"));
        assertEquals(Scope.DESTINATION, internal.scope());
        assertTrue(internal.maybeSent());
        Outcome.RetryLater unavailable = assertInstanceOf(Outcome.RetryLater.class, map(503, "Shutdown"));
        assertEquals(Scope.DESTINATION, unavailable.scope());
        assertFalse(unavailable.maybeSent());
    }

    @Test
    void unknownReasonsDoNotBecomeLabels() {
        assertEquals(new Outcome.Failed("Other"), map(400, "x".repeat(10_000)));
        assertEquals(new Outcome.Failed("http_418"), map(418, null));
        assertEquals(Scope.DESTINATION, assertInstanceOf(Outcome.RetryLater.class, map(502, "<html>")).scope());
    }

    @Test
    void failuresBeforeWritingAreNotSentAndOthersMaybe() {
        Outcome.RetryLater refused = assertInstanceOf(Outcome.RetryLater.class,
                ApnsAnswers.fromFailure(new CompletionException(new ConnectException("refused"))));
        assertFalse(refused.maybeSent());
        Outcome.RetryLater handshake = assertInstanceOf(Outcome.RetryLater.class,
                ApnsAnswers.fromFailure(new IOException("wrapped", new SSLHandshakeException("untrusted"))));
        assertFalse(handshake.maybeSent());
        Outcome.RetryLater reset = assertInstanceOf(Outcome.RetryLater.class,
                ApnsAnswers.fromFailure(new IOException("Stream closed before a reply was received")));
        assertTrue(reset.maybeSent());
        assertTrue(((Outcome.RetryLater) ApnsAnswers.timeout()).maybeSent());
    }
}

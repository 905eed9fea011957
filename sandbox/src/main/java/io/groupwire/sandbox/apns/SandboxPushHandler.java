package io.groupwire.sandbox.apns;

import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import com.eatthepath.pushy.apns.auth.AuthenticationToken;
import com.eatthepath.pushy.apns.server.PushNotificationHandler;
import com.eatthepath.pushy.apns.server.RejectedNotificationException;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.UnregisteredDeviceTokenException;
import io.groupwire.sandbox.SandboxFaults;
import io.groupwire.sandbox.UnregisteredTokens;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Judges one notification the way APNs would, for one connection of the sandbox (Pushy's mock
 * server builds one per connection). In order:
 *
 * <ol>
 * <li>the request: POST on {@code /3/device/<token>} (405 MethodNotAllowed, 404 BadPath,
 *     400 MissingDeviceToken), a well-formed {@code apns-id} if any (400 BadMessageId);</li>
 * <li>the provider token, as APNs checks token authentication: a bearer ES256 JWT whose key id is
 *     the sandbox's, whose signature verifies against the sandbox's public key, issued at most an
 *     hour ago (403 ExpiredProviderToken) and not in the future, and, like APNs, one team per
 *     connection (403 MissingProviderToken / InvalidProviderToken otherwise);</li>
 * <li>the topic: required (400 MissingTopic) and the sandbox's own (400 TopicDisallowed);</li>
 * <li>headers: collapse id at most 64 bytes, a known priority and push type;</li>
 * <li>the fault plan of channel {@code apns} (see {@link ApnsSandbox} for how each is acted out; the
 *     latency is {@link AnswerDelay}'s);</li>
 * <li>the device token: an even number of hex digits, 64 to 200 of them (Apple's tokens are 32
 *     bytes today and documented as variable length up to 100); otherwise 400 BadDeviceToken;
 *     tokens in {@link UnregisteredTokens} answer 410 Unregistered with their timestamp;</li>
 * <li>the payload: present (400 PayloadEmpty) and at most 4096 bytes (413 PayloadTooLarge).</li>
 * </ol>
 */
final class SandboxPushHandler implements PushNotificationHandler {
    private static final String PATH_PREFIX = "/3/device/";
    /** APNs' limit on a notification's payload. */
    static final int MAX_PAYLOAD_BYTES = 4096;
    private static final Pattern DEVICE_TOKEN = Pattern.compile("(?:[0-9a-fA-F]{2}){32,100}");
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    private static final Set<String> PRIORITIES = Set.of("1", "5", "10");
    private static final Set<String> PUSH_TYPES = Set.of("alert", "background", "location", "voip", "complication",
            "fileprovider", "mdm", "liveactivity", "pushtotalk");

    private final ApnsVerificationKey key;
    private final String topic;
    private final UnregisteredTokens unregistered;
    private final SandboxFaults faults;
    /** The team of the first valid token on this connection: APNs allows one team per connection. */
    private String connectionTeam;
    /** The last token that verified, so a connection reusing its token is not re-verified per request. */
    private String verifiedToken;

    SandboxPushHandler(ApnsVerificationKey key, String topic, UnregisteredTokens unregistered, SandboxFaults faults) {
        this.key = key;
        this.topic = topic;
        this.unregistered = unregistered;
        this.faults = faults;
    }

    @Override
    public void handlePushNotification(Http2Headers headers, ByteBuf payload) throws RejectedNotificationException {
        CharSequence method = headers.method();
        if (method == null || !"POST".contentEquals(method)) {
            throw new RejectedNotificationException(RejectionReason.METHOD_NOT_ALLOWED);
        }
        CharSequence path = headers.path();
        if (path == null || !path.toString().startsWith(PATH_PREFIX)) {
            throw new RejectedNotificationException(RejectionReason.BAD_PATH);
        }
        String deviceToken = path.toString().substring(PATH_PREFIX.length());
        if (deviceToken.isEmpty()) {
            throw new RejectedNotificationException(RejectionReason.MISSING_DEVICE_TOKEN);
        }
        CharSequence apnsId = headers.get("apns-id");
        if (apnsId != null && !isUuid(apnsId.toString())) {
            throw new RejectedNotificationException(RejectionReason.BAD_MESSAGE_ID);
        }
        authenticate(headers.get("authorization"));
        CharSequence requestTopic = headers.get("apns-topic");
        if (requestTopic == null) {
            throw new RejectedNotificationException(RejectionReason.MISSING_TOPIC);
        }
        if (!topic.contentEquals(requestTopic)) {
            throw new RejectedNotificationException(RejectionReason.TOPIC_DISALLOWED);
        }
        CharSequence collapseId = headers.get("apns-collapse-id");
        if (collapseId != null && collapseId.toString().getBytes(StandardCharsets.UTF_8).length > 64) {
            throw new RejectedNotificationException(RejectionReason.BAD_COLLAPSE_ID);
        }
        CharSequence priority = headers.get("apns-priority");
        if (priority != null && !PRIORITIES.contains(priority.toString())) {
            throw new RejectedNotificationException(RejectionReason.BAD_PRIORITY);
        }
        CharSequence pushType = headers.get("apns-push-type");
        if (pushType != null && !PUSH_TYPES.contains(pushType.toString())) {
            throw new RejectedNotificationException(RejectionReason.INVALID_PUSH_TYPE);
        }
        actOutFaults();
        if (!DEVICE_TOKEN.matcher(deviceToken).matches()) {
            throw new RejectedNotificationException(RejectionReason.BAD_DEVICE_TOKEN);
        }
        Optional<Instant> gone = unregistered.since(deviceToken);
        if (gone.isPresent()) {
            throw new UnregisteredDeviceTokenException(gone.get());
        }
        if (payload == null || payload.readableBytes() == 0) {
            throw new RejectedNotificationException(RejectionReason.PAYLOAD_EMPTY);
        }
        if (payload.readableBytes() > MAX_PAYLOAD_BYTES) {
            throw new RejectedNotificationException(RejectionReason.PAYLOAD_TOO_LARGE);
        }
    }

    private void authenticate(CharSequence authorization) throws RejectedNotificationException {
        if (authorization == null) {
            throw new RejectedNotificationException(RejectionReason.MISSING_PROVIDER_TOKEN);
        }
        String header = authorization.toString();
        if (!header.regionMatches(true, 0, "bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw new RejectedNotificationException(RejectionReason.MISSING_PROVIDER_TOKEN);
        }
        String encoded = header.substring(7).trim();
        AuthenticationToken token;
        try {
            token = new AuthenticationToken(encoded);
        } catch (RuntimeException e) {
            throw new RejectedNotificationException(RejectionReason.INVALID_PROVIDER_TOKEN);
        }
        if (!encoded.equals(verifiedToken)) {
            boolean valid;
            try {
                valid = key.getKeyId().equals(token.getKeyId()) && token.verifySignature(key);
            } catch (RuntimeException e) {
                valid = false;
            }
            if (!valid) {
                throw new RejectedNotificationException(RejectionReason.INVALID_PROVIDER_TOKEN);
            }
        }
        if (connectionTeam == null) {
            connectionTeam = token.getTeamId();
        }
        if (!key.getTeamId().equals(token.getTeamId()) || !connectionTeam.equals(token.getTeamId())) {
            throw new RejectedNotificationException(RejectionReason.INVALID_PROVIDER_TOKEN);
        }
        Instant issuedAt = token.getIssuedAt();
        Instant now = Instant.now();
        if (issuedAt == null || issuedAt.isAfter(now.plus(CLOCK_SKEW))) {
            throw new RejectedNotificationException(RejectionReason.INVALID_PROVIDER_TOKEN);
        }
        if (now.isAfter(issuedAt.plus(TOKEN_LIFETIME))) {
            throw new RejectedNotificationException(RejectionReason.EXPIRED_PROVIDER_TOKEN);
        }
        verifiedToken = encoded;
    }

    /**
     * Acts out the fault plan's answers. Latency is not acted out here: Pushy's handler API is
     * synchronous, and waiting in it would block the connection's event loop, so {@link AnswerDelay}
     * holds the answer back on a timer instead. A drop is an {@link ApnsSandbox.ConnectionDrop}
     * thrown past Pushy's handler, which makes Netty close the connection with GOAWAY, so every
     * request in flight on it goes unanswered.
     */
    private void actOutFaults() throws RejectedNotificationException {
        switch (faults.decide("apns")) {
            case DROP -> throw new ApnsSandbox.ConnectionDrop();
            case ERROR -> throw new RejectedNotificationException(ThreadLocalRandom.current().nextBoolean()
                    ? RejectionReason.INTERNAL_SERVER_ERROR : RejectionReason.SERVICE_UNAVAILABLE);
            case THROTTLE -> throw new RejectedNotificationException(RejectionReason.TOO_MANY_REQUESTS);
            case ACCEPT -> {
            }
        }
    }

    private static boolean isUuid(String text) {
        if (text.length() != 36) {
            return false;
        }
        try {
            UUID.fromString(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

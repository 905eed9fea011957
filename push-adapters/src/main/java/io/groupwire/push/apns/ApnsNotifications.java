package io.groupwire.push.apns;

import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.util.SimpleApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import io.groupwire.core.message.Delivery;
import io.groupwire.push.CollapseId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns a delivery into the APNs request: an alert (title = group name, body = sender and text) with
 * the Groupwire ids the app needs to fetch the message, collapse id = message id, push type alert,
 * priority immediate, stored by APNs at most until the message's TTL runs out.
 */
final class ApnsNotifications {
    /** APNs' payload limit for alerts. */
    static final int MAX_PAYLOAD_BYTES = 4096;
    /** Tokens are hex; anything that could change the request path is refused before sending. */
    private static final Pattern TOKEN = Pattern.compile("[0-9A-Za-z]{1,400}");

    private final String topic;
    private final Duration messageTtl;

    ApnsNotifications(String topic, Duration messageTtl) {
        this.topic = topic;
        this.messageTtl = messageTtl;
    }

    static boolean plausibleToken(String token) {
        return TOKEN.matcher(token).matches();
    }

    SimpleApnsPushNotification build(Delivery d) {
        return new SimpleApnsPushNotification(d.address(), topic, payload(d),
                Instant.ofEpochMilli(d.acceptedAtMillis()).plus(messageTtl), DeliveryPriority.IMMEDIATE,
                PushType.ALERT, CollapseId.forMessage(d.messageId()), apnsId(d));
    }

    /**
     * The same apns-id for every attempt of one delivery: Apple echoes it in errors, and a stable
     * one lets a resend be matched to the first attempt in logs.
     */
    static UUID apnsId(Delivery d) {
        return UUID.nameUUIDFromBytes(("apns|" + d.id()).getBytes(StandardCharsets.UTF_8));
    }

    /** The payload, the body shortened if needed to stay within 4 KB (the app fetches the whole message). */
    static String payload(Delivery d) {
        String body = d.displayText() == null ? "" : d.displayText();
        String payload = payload(d, body);
        while (payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES && !body.isEmpty()) {
            body = shorten(body, body.codePointCount(0, body.length()) * 3 / 4);
            payload = payload(d, body + "\u2026");
        }
        return payload;
    }

    private static String payload(Delivery d, String body) {
        SimpleApnsPayloadBuilder builder = new SimpleApnsPayloadBuilder();
        if (d.groupName() != null) {
            builder.setAlertTitle(d.groupName());
        }
        builder.setAlertBody(body);
        builder.addCustomProperty("gw_message_id", d.messageId());
        if (d.groupId() != null) {
            builder.addCustomProperty("gw_group_id", d.groupId());
        }
        return builder.build();
    }

    private static String shorten(String text, int codePoints) {
        return text.substring(0, text.offsetByCodePoints(0, Math.max(0, codePoints)));
    }
}

package io.groupwire.push.fcm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupwire.core.json.Json;
import io.groupwire.core.message.Delivery;
import io.groupwire.push.CollapseId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Turns a delivery into the body of one FCM HTTP v1 {@code messages:send} request: a notification
 * (title = group name, body = sender and text), data with the Groupwire ids the app needs to fetch
 * the message, and the message id as Android collapse key and notification tag and as APNs
 * collapse id, so that a resend after an ambiguous attempt shows as one notification. What is left
 * of the message's TTL becomes the Android TTL and the APNs expiration.
 */
final class FcmMessages {
    private static final int MAX_BODY_CHARS = 1000;
    private static final int MAX_BODY_BYTES = 2048;

    private FcmMessages() {
    }

    static String body(Delivery d, Duration messageTtl, long nowMillis) {
        ObjectNode root = Json.mapper().createObjectNode();
        ObjectNode message = root.putObject("message");
        message.put("token", d.address());
        ObjectNode notification = message.putObject("notification");
        if (d.groupName() != null) {
            notification.put("title", d.groupName());
        }
        notification.put("body", shorten(d.displayText() == null ? "" : d.displayText()));
        ObjectNode data = message.putObject("data");
        data.put("gw_message_id", d.messageId());
        if (d.groupId() != null) {
            data.put("gw_group_id", d.groupId());
        }
        String collapse = CollapseId.forMessage(d.messageId());
        long expiresAt = d.acceptedAtMillis() + messageTtl.toMillis();
        long remainingSeconds = Math.max(0, (expiresAt - nowMillis) / 1000);
        ObjectNode android = message.putObject("android");
        android.put("collapse_key", collapse);
        android.put("priority", "high");
        android.put("ttl", remainingSeconds + "s");
        android.putObject("notification").put("tag", collapse);
        ObjectNode apnsHeaders = message.putObject("apns").putObject("headers");
        apnsHeaders.put("apns-collapse-id", collapse);
        apnsHeaders.put("apns-expiration", Long.toString(expiresAt / 1000));
        return Json.write(root);
    }

    /** Notifications show a few lines; the app fetches the whole message by its id. */
    private static String shorten(String text) {
        String out = text;
        int codePoints = out.codePointCount(0, out.length());
        boolean cut = false;
        while (codePoints > MAX_BODY_CHARS || out.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            codePoints = Math.min(codePoints * 3 / 4, MAX_BODY_CHARS);
            out = out.substring(0, out.offsetByCodePoints(0, codePoints));
            cut = true;
        }
        return cut ? out + "\u2026" : out;
    }
}

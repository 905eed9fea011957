package io.groupwire.sandbox.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupwire.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@code messages:send} request body the way FCM does, closely enough for a sandbox: the
 * proto-JSON shape (known field names, snake_case or camelCase; right types; string-only data
 * maps), exactly one target, a plausible token, valid Android priority and TTL, reserved data keys,
 * and the 4096-byte limit on notification and data. Returns the first violation as an FCM error
 * answer, or null when the request is acceptable.
 *
 * <p>The sandbox sends to tokens only: a {@code topic} or {@code condition} is refused with an
 * explanation. A token is plausible when it has 16 to 4096 characters from {@code [A-Za-z0-9_:-]}
 * (real FCM tokens are about 150 to 200 of those); others are "not a valid FCM registration token",
 * with a {@code message.token} field violation.
 */
final class SandboxMessageValidator {
    static final int MAX_PAYLOAD_BYTES = 4096;
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_:\\-]{16,4096}");
    private static final Pattern TTL = Pattern.compile("\\d{1,7}(\\.\\d{1,9})?s");
    private static final long MAX_TTL_SECONDS = 2_419_200;
    private static final Set<String> TOP = Set.of("message", "validate_only");
    private static final Set<String> MESSAGE = Set.of("name", "data", "notification", "android", "webpush", "apns",
            "fcm_options", "token", "topic", "condition");
    private static final Set<String> NOTIFICATION = Set.of("title", "body", "image");
    private static final Set<String> ANDROID = Set.of("collapse_key", "priority", "ttl", "restricted_package_name",
            "data", "notification", "fcm_options", "direct_boot_ok");
    private static final Set<String> APNS = Set.of("headers", "payload", "fcm_options", "live_activity_token");
    private static final Set<String> RESERVED_DATA_KEYS = Set.of("from", "notification", "message_type");

    private SandboxMessageValidator() {
    }

    static SandboxAnswers check(JsonNode root) {
        if (root == null || !root.isObject()) {
            return SandboxAnswers.invalidArgument(null, "Invalid JSON payload received. Expected an object.");
        }
        SandboxAnswers unknown = unknownFields(root, TOP, "");
        if (unknown != null) {
            return unknown;
        }
        JsonNode validateOnly = field(root, "validate_only");
        if (validateOnly != null && !validateOnly.isBoolean()) {
            return typeError("validate_only", "TYPE_BOOL");
        }
        JsonNode message = field(root, "message");
        if (message == null || !message.isObject()) {
            return SandboxAnswers.invalidArgument("message", "Request contains an invalid argument: message is required.");
        }
        unknown = unknownFields(message, MESSAGE, "message.");
        if (unknown != null) {
            return unknown;
        }
        SandboxAnswers target = target(message);
        if (target != null) {
            return target;
        }
        SandboxAnswers data = stringMap(field(message, "data"), "message.data", true);
        if (data != null) {
            return data;
        }
        SandboxAnswers notification = notification(field(message, "notification"));
        if (notification != null) {
            return notification;
        }
        SandboxAnswers android = android(field(message, "android"));
        if (android != null) {
            return android;
        }
        SandboxAnswers apns = apns(field(message, "apns"));
        if (apns != null) {
            return apns;
        }
        for (String name : new String[]{"webpush", "fcm_options"}) {
            JsonNode v = field(message, name);
            if (v != null && !v.isObject()) {
                return typeError("message." + name, "TYPE_MESSAGE");
            }
        }
        int size = bytes(field(message, "notification")) + bytes(field(message, "data"));
        if (size > MAX_PAYLOAD_BYTES) {
            return SandboxAnswers.invalidArgument("message", "Message is too big: notification and data take "
                    + size + " bytes, at most " + MAX_PAYLOAD_BYTES + " are allowed.");
        }
        return null;
    }

    /** The token of an acceptable request. */
    static String token(JsonNode root) {
        return field(field(root, "message"), "token").asText();
    }

    /** The Groupwire message id in the data, or null. */
    static String messageId(JsonNode root) {
        JsonNode data = field(field(root, "message"), "data");
        JsonNode id = data == null ? null : data.get("gw_message_id");
        return id != null && id.isTextual() ? id.asText() : null;
    }

    static boolean validateOnly(JsonNode root) {
        JsonNode v = field(root, "validate_only");
        return v != null && v.asBoolean();
    }

    private static SandboxAnswers target(JsonNode message) {
        int targets = 0;
        for (String t : new String[]{"token", "topic", "condition"}) {
            if (field(message, t) != null) {
                targets++;
            }
        }
        if (targets != 1) {
            return SandboxAnswers.invalidArgument("message",
                    "Exactly one of message.token, message.topic or message.condition must be set.");
        }
        JsonNode token = field(message, "token");
        if (token == null) {
            return SandboxAnswers.invalidArgument(field(message, "topic") != null ? "message.topic" : "message.condition",
                    "The Groupwire FCM sandbox delivers to registration tokens only.");
        }
        if (!token.isTextual()) {
            return typeError("message.token", "TYPE_STRING");
        }
        if (!TOKEN.matcher(token.asText()).matches()) {
            return SandboxAnswers.invalidArgument("message.token", "The registration token is not a valid FCM registration token");
        }
        return null;
    }

    private static SandboxAnswers notification(JsonNode notification) {
        if (notification == null) {
            return null;
        }
        if (!notification.isObject()) {
            return typeError("message.notification", "TYPE_MESSAGE");
        }
        SandboxAnswers unknown = unknownFields(notification, NOTIFICATION, "message.notification.");
        if (unknown != null) {
            return unknown;
        }
        return stringFields(notification, "message.notification.");
    }

    private static SandboxAnswers android(JsonNode android) {
        if (android == null) {
            return null;
        }
        if (!android.isObject()) {
            return typeError("message.android", "TYPE_MESSAGE");
        }
        SandboxAnswers unknown = unknownFields(android, ANDROID, "message.android.");
        if (unknown != null) {
            return unknown;
        }
        for (String name : new String[]{"collapse_key", "restricted_package_name", "priority", "ttl"}) {
            JsonNode v = field(android, name);
            if (v != null && !v.isTextual()) {
                return typeError("message.android." + name, "TYPE_STRING");
            }
        }
        JsonNode priority = field(android, "priority");
        if (priority != null && !Set.of("NORMAL", "HIGH").contains(priority.asText().toUpperCase(Locale.ROOT))) {
            return SandboxAnswers.invalidArgument("message.android.priority",
                    "Invalid value at 'message.android.priority' (type.googleapis.com/google.firebase.fcm.v1.AndroidMessagePriority)");
        }
        JsonNode ttl = field(android, "ttl");
        if (ttl != null && (!TTL.matcher(ttl.asText()).matches()
                || Double.parseDouble(ttl.asText().substring(0, ttl.asText().length() - 1)) > MAX_TTL_SECONDS)) {
            return SandboxAnswers.invalidArgument("message.android.ttl",
                    "Invalid value at 'message.android.ttl' (type.googleapis.com/google.protobuf.Duration)");
        }
        SandboxAnswers data = stringMap(field(android, "data"), "message.android.data", true);
        if (data != null) {
            return data;
        }
        JsonNode notification = field(android, "notification");
        if (notification != null) {
            if (!notification.isObject()) {
                return typeError("message.android.notification", "TYPE_MESSAGE");
            }
            JsonNode tag = field(notification, "tag");
            if (tag != null && !tag.isTextual()) {
                return typeError("message.android.notification.tag", "TYPE_STRING");
            }
        }
        return null;
    }

    private static SandboxAnswers apns(JsonNode apns) {
        if (apns == null) {
            return null;
        }
        if (!apns.isObject()) {
            return typeError("message.apns", "TYPE_MESSAGE");
        }
        SandboxAnswers unknown = unknownFields(apns, APNS, "message.apns.");
        if (unknown != null) {
            return unknown;
        }
        SandboxAnswers headers = stringMap(field(apns, "headers"), "message.apns.headers", false);
        if (headers != null) {
            return headers;
        }
        JsonNode collapse = field(field(apns, "headers"), "apns-collapse-id");
        if (collapse != null && collapse.asText().getBytes(StandardCharsets.UTF_8).length > 64) {
            return SandboxAnswers.invalidArgument("message.apns.headers", "apns-collapse-id is longer than 64 bytes.");
        }
        JsonNode payload = field(apns, "payload");
        if (payload != null && !payload.isObject()) {
            return typeError("message.apns.payload", "TYPE_MESSAGE");
        }
        return null;
    }

    private static SandboxAnswers stringMap(JsonNode map, String path, boolean dataKeys) {
        if (map == null) {
            return null;
        }
        if (!map.isObject()) {
            return typeError(path, "TYPE_MESSAGE");
        }
        int i = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); i++) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                return typeError(path + "[" + i + "].value", "TYPE_STRING");
            }
            String key = e.getKey().toLowerCase(Locale.ROOT);
            if (dataKeys && (RESERVED_DATA_KEYS.contains(key) || key.startsWith("google.") || key.startsWith("gcm."))) {
                return SandboxAnswers.invalidArgument(path, "Invalid data payload key: " + shorten(e.getKey()));
            }
        }
        return null;
    }

    private static SandboxAnswers stringFields(JsonNode object, String prefix) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                return typeError(prefix + snake(e.getKey()), "TYPE_STRING");
            }
        }
        return null;
    }

    private static SandboxAnswers unknownFields(JsonNode object, Set<String> known, String prefix) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(snake(name))) {
                String shown = shorten(name);
                return SandboxAnswers.invalidArgument(prefix + shown, "Invalid JSON payload received. Unknown name \""
                        + shown + "\" at '" + (prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1))
                        + "': Cannot find field.");
            }
        }
        return null;
    }

    private static SandboxAnswers typeError(String field, String type) {
        return SandboxAnswers.invalidArgument(field, "Invalid value at '" + field + "' (" + type + ")");
    }

    /** A field by its snake_case name or its camelCase alias, as proto-JSON parsers accept both. */
    private static JsonNode field(JsonNode object, String snakeName) {
        if (object == null || !object.isObject()) {
            return null;
        }
        JsonNode v = object.get(snakeName);
        if (v == null) {
            v = object.get(camel(snakeName));
        }
        return v == null || v.isNull() ? null : v;
    }

    private static String snake(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String camel(String snake) {
        StringBuilder out = new StringBuilder(snake.length());
        boolean up = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                out.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return out.toString();
    }

    private static int bytes(JsonNode node) {
        return node == null ? 0 : Json.write(node).getBytes(StandardCharsets.UTF_8).length;
    }

    /** Names from a hostile body are echoed, but never at length. */
    private static String shorten(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}

package io.groupwire.push.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupwire.core.json.Json;
import io.groupwire.push.ProviderAnswer;
import java.util.ArrayList;
import java.util.List;

/**
 * What an FCM error answer says, read defensively: Google's error JSON
 * ({@code {"error": {"code", "message", "status", "details": [FcmError {errorCode},
 * BadRequest {fieldViolations: [{field}]}]}}}) when the answer is JSON, whole and well-formed;
 * otherwise nothing, and the caller goes by the HTTP status alone. Never throws.
 *
 * @param status          Google's canonical status (INVALID_ARGUMENT, NOT_FOUND...), or null
 * @param errorCode       FCM's own error code (UNREGISTERED, QUOTA_EXCEEDED...), or null
 * @param message         the human-readable message, at most 300 characters, or null
 * @param violatedFields  the fields named by BadRequest field violations, at most 20
 */
record FcmErrorBody(String status, String errorCode, String message, List<String> violatedFields) {
    static final FcmErrorBody NONE = new FcmErrorBody(null, null, null, List.of());
    private static final int MAX_TEXT = 300;
    private static final int MAX_FIELDS = 20;

    static FcmErrorBody of(ProviderAnswer answer) {
        if (!answer.isJson() || !answer.complete() || answer.body().length() == 0) {
            return NONE;
        }
        try {
            JsonNode error = Json.mapper().readTree(answer.text()).path("error");
            if (!error.isObject()) {
                return NONE;
            }
            String errorCode = null;
            List<String> fields = new ArrayList<>();
            JsonNode details = error.path("details");
            if (details.isArray()) {
                for (JsonNode detail : details) {
                    String type = text(detail.path("@type"));
                    if (type == null) {
                        continue;
                    }
                    if (type.endsWith("google.firebase.fcm.v1.FcmError") && errorCode == null) {
                        errorCode = text(detail.path("errorCode"));
                    } else if (type.endsWith("google.rpc.BadRequest") && detail.path("fieldViolations").isArray()) {
                        for (JsonNode v : detail.path("fieldViolations")) {
                            String field = text(v.path("field"));
                            if (field != null && fields.size() < MAX_FIELDS) {
                                fields.add(field);
                            }
                        }
                    }
                }
            }
            return new FcmErrorBody(text(error.path("status")), errorCode, text(error.path("message")), List.copyOf(fields));
        } catch (Exception e) {
            return NONE;
        }
    }

    /** The most specific code: FCM's error code, else Google's status. */
    String code() {
        return errorCode != null ? errorCode : status;
    }

    private static String text(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        String s = node.asText();
        return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) : s;
    }
}

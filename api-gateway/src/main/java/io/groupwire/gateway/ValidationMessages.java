package io.groupwire.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.ext.web.validation.BadRequestException;
import io.vertx.ext.web.validation.BodyProcessorException;
import io.vertx.ext.web.validation.ParameterProcessorException;
import io.vertx.json.schema.ValidationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the OpenAPI validator's rejections into the API's errors: which field is wrong and what
 * the contract wants of it ({@code "text" must have at most 1000 characters}), rather than the
 * validator's own wording. Never repeats the rejected value, which may be huge or hostile.
 */
final class ValidationMessages {
    private static final Pattern PROPERTY = Pattern.compile("property:? ?\"?([A-Za-z0-9_]+)\"?");

    private ValidationMessages() {
    }

    static ApiException of(BadRequestException e) {
        if (e instanceof BodyProcessorException b) {
            return switch (b.getErrorType()) {
                case MISSING_MATCHING_BODY_PROCESSOR -> new ApiException(415, "unsupported_media_type",
                        "the body must be application/json");
                case PARSING_ERROR -> new ApiException(400, "malformed_json", "the body is not valid JSON");
                case VALIDATION_ERROR -> ApiException.badRequest(describe(b.getCause(), null));
            };
        }
        if (e instanceof ParameterProcessorException p) {
            String name = p.getLocation().name().toLowerCase(java.util.Locale.ROOT) + " parameter '" + p.getParameterName() + "'";
            return switch (p.getErrorType()) {
                case MISSING_PARAMETER_WHEN_REQUIRED_ERROR -> ApiException.badRequest("missing " + name);
                case PARSING_ERROR -> ApiException.badRequest("cannot parse " + name);
                case VALIDATION_ERROR -> ApiException.badRequest(describe(p.getCause(), name));
            };
        }
        String m = e.getMessage() == null ? "" : e.getMessage().replace("[Bad Request] ", "");
        if (m.equalsIgnoreCase("Body required")) {
            return ApiException.badRequest("a JSON body is required");
        }
        return ApiException.badRequest(m.isEmpty() ? "the request is invalid" : m);
    }

    /** @param subject what was validated when it is not a body field (a path parameter), or null */
    static String describe(Throwable cause, String subject) {
        if (!(cause instanceof ValidationException v)) {
            return subject == null ? "the body does not match the contract" : subject + " is invalid";
        }
        String field = subject != null ? subject : field(v.inputScope());
        JsonObject schema = v.schema() != null && v.schema().getJson() instanceof JsonObject j ? j : new JsonObject();
        String keyword = v.keyword() == null ? "" : v.keyword();
        String message = v.getMessage() == null ? "" : v.getMessage();
        return switch (keyword) {
            case "required" -> "missing required field " + property(message, "");
            case "additionalProperties" -> "unknown field " + property(message, "") + (field.equals("the body") ? "" : " in " + field);
            case "type" -> field + " must be " + article(schema.getString("type", "of another type"));
            case "nullable" -> field + " must not be null";
            case "maxLength" -> field + " must have at most " + schema.getValue("maxLength") + " characters";
            case "minLength" -> field + " must have at least " + schema.getValue("minLength") + " character"
                    + (Integer.valueOf(1).equals(schema.getValue("minLength")) ? "" : "s");
            case "maxItems" -> field + " may hold at most " + schema.getValue("maxItems") + " items";
            case "minItems" -> field + " must hold at least " + schema.getValue("minItems") + " items";
            case "enum" -> field + " must be one of " + enumValues(schema.getJsonArray("enum"));
            case "pattern" -> field + " has the wrong form" + (schema.containsKey("description")
                    ? " (" + schema.getString("description") + ")" : ": it must match " + schema.getString("pattern"));
            default -> field + ": " + message;
        };
    }

    private static String field(JsonPointer scope) {
        if (scope == null || scope.isRootPointer()) {
            return "the body";
        }
        String pointer = scope.toString();
        return "'" + (pointer.startsWith("/") ? pointer.substring(1) : pointer).replace('/', '.') + "'";
    }

    private static String property(String message, String fallback) {
        Matcher m = PROPERTY.matcher(message);
        String found = null;
        while (m.find()) {
            found = m.group(1);
        }
        return found == null ? fallback : "'" + found + "'";
    }

    private static String article(String type) {
        return switch (type) {
            case "object", "array", "integer" -> "an " + type;
            default -> "a " + type;
        };
    }

    private static String enumValues(JsonArray values) {
        if (values == null) {
            return "the listed values";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(values.getValue(i));
        }
        return b.toString();
    }
}

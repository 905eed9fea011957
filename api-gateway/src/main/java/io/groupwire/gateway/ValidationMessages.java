package io.groupwire.gateway;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the OpenAPI validator's rejections into the API's errors: which field is wrong and what
 * the contract wants of it ({@code "text" must have at most 1000 characters}), rather than the
 * validator's own wording. Never repeats the rejected value, which may be huge or hostile.
 */
final class ValidationMessages {
    private static final Pattern PROPERTY = Pattern.compile("property:? ?\"?([A-Za-z0-9_]+)\"?", Pattern.CASE_INSENSITIVE);
    /** How the validator names a parameter in its messages ("... path parameter id ..."): it has no accessor for it. */
    private static final Pattern PARAMETER = Pattern.compile("\\b(path|query|header|cookie) parameter ([A-Za-z0-9_-]+)");
    /** Keywords that only say that a part below them failed; the part's own error says what is wrong. */
    private static final List<String> SUMMARIES = List.of("properties", "items", "prefixItems", "$ref", "allOf", "anyOf", "oneOf");

    private final OpenAPIContract contract;

    ValidationMessages(OpenAPIContract contract) {
        this.contract = contract;
    }

    ApiException of(ValidatorException e, RoutingContext ctx) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        Matcher p = PARAMETER.matcher(message);
        Parameter parameter = p.find() ? parameter(ctx, p.group(1), p.group(2)) : null;
        String name = parameter == null ? null : p.group(1) + " parameter '" + p.group(2) + "'";
        return switch (e.type()) {
            case MISSING_REQUIRED_PARAMETER -> name != null ? ApiException.badRequest("missing " + name) : missingBody(ctx);
            case UNSUPPORTED_VALUE_FORMAT -> name != null ? ApiException.badRequest("cannot parse " + name)
                    : new ApiException(415, "unsupported_media_type", "the body must be application/json");
            case INVALID_VALUE_FORMAT -> ApiException.badRequest("cannot parse " + (name != null ? name : "the request"));
            case ILLEGAL_VALUE -> name != null || message.startsWith("Can't decode URL")
                    ? ApiException.badRequest("cannot parse " + (name != null ? name : "the path"))
                    : new ApiException(400, "malformed_json", "the body is not valid JSON");
            case INVALID_VALUE -> e instanceof SchemaValidationException s
                    ? ApiException.badRequest(describe(s.getOutputUnit(), name, name != null ? parameter.getSchema() : bodySchema(ctx), ctx))
                    : ApiException.badRequest(name != null ? name + " is invalid" : "the body does not match the contract");
            default -> ApiException.badRequest("the request is invalid");
        };
    }

    /** A required body that is absent or empty: what the Content-Type promised decides the answer. */
    private static ApiException missingBody(RoutingContext ctx) {
        String type = ctx.request().getHeader("content-type");
        if (type == null) {
            return ApiException.badRequest("a JSON body is required");
        }
        if (JsonBodyCheck.isJson(type)) {
            return new ApiException(400, "malformed_json", "the body is not valid JSON");
        }
        return new ApiException(415, "unsupported_media_type", "the body must be application/json");
    }

    private Operation operation(RoutingContext ctx) {
        return contract.operation(Operations.current(ctx));
    }

    private Parameter parameter(RoutingContext ctx, String in, String name) {
        Operation op = operation(ctx);
        if (op == null) {
            return null;
        }
        for (Parameter candidate : op.getParameters()) {
            if (candidate.getName().equals(name) && candidate.getIn().name().equalsIgnoreCase(in)) {
                return candidate;
            }
        }
        return null;
    }

    private JsonSchema bodySchema(RoutingContext ctx) {
        Operation op = operation(ctx);
        if (op == null || op.getRequestBody() == null) {
            return null;
        }
        MediaType json = op.getRequestBody().determineContentType(ctx.request().getHeader("content-type"));
        return json == null ? null : json.getSchema();
    }

    /**
     * @param subject what was validated when it is not a body field (a path parameter), or null
     * @param root the schema the value was validated against, to read the limit that was broken
     */
    private String describe(OutputUnit result, String subject, JsonSchema root, RoutingContext ctx) {
        OutputUnit error = mostSpecific(result.getErrors());
        if (error == null) {
            return subject == null ? "the body does not match the contract" : subject + " is invalid";
        }
        String instance = error.getInstanceLocation();
        String keywordPath = fragment(error.getKeywordLocation());
        String keyword = keywordPath.substring(keywordPath.lastIndexOf('/') + 1);
        JsonObject schema = schemaAt(root, keywordPath.substring(0, Math.max(0, keywordPath.lastIndexOf('/'))));
        String message = error.getError() == null ? "" : error.getError();
        String field = subject != null ? subject : field(fragment(instance));
        return switch (keyword) {
            case "required" -> "missing required field " + property(message, "");
            case "additionalProperties" -> {
                // the validator reports the unknown property itself; the object holding it is its parent
                String holder = subject != null ? subject : field(parent(fragment(instance)));
                yield "unknown field " + property(message, "") + (holder.equals("the body") ? "" : " in " + holder);
            }
            case "type" -> subject == null && isNull(ctx, fragment(instance)) ? field + " must not be null"
                    : field + " must be " + article(typeOf(schema));
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

    /** Whether the body holds a null at {@code pointer}: the validator calls that a wrong type. */
    private static boolean isNull(RoutingContext ctx, String pointer) {
        try {
            Object body = Json.decodeValue(ctx.body().buffer());
            return body == null || pointer.isEmpty() ? body == null : JsonPointer.from(pointer).queryJson(body) == null;
        } catch (DecodeException e) {
            return false;
        }
    }

    /**
     * The error that says what is wrong, not that something below failed. The validator also calls a
     * declared property that failed its own schema "not matching additionalProperties": such an
     * error counts only when nothing else is reported for that property.
     */
    private static OutputUnit mostSpecific(List<OutputUnit> errors) {
        if (errors == null || errors.isEmpty()) {
            return null;
        }
        for (OutputUnit e : errors) {
            String keyword = keyword(e);
            if (SUMMARIES.contains(keyword)) {
                continue;
            }
            if (keyword.equals("additionalProperties") && errors.stream().anyMatch(other -> other != e
                    && !SUMMARIES.contains(keyword(other)) && !keyword(other).equals("additionalProperties")
                    && other.getInstanceLocation().equals(e.getInstanceLocation()))) {
                continue;
            }
            return e;
        }
        return errors.get(errors.size() - 1);
    }

    private static String keyword(OutputUnit e) {
        String path = e.getKeywordLocation() == null ? "" : e.getKeywordLocation();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** A location such as {@code #/properties/text} as the JSON pointer {@code /properties/text}. */
    private static String fragment(String location) {
        if (location == null) {
            return "";
        }
        int hash = location.indexOf('#');
        return hash < 0 ? location : location.substring(hash + 1);
    }

    private static String parent(String pointer) {
        int slash = pointer.lastIndexOf('/');
        return slash <= 0 ? "" : pointer.substring(0, slash);
    }

    /**
     * The part of {@code root} at {@code keywordPath}, a validator keyword location such as
     * {@code /properties/name/$ref}. The validator's schema objects resolve a {@code $ref} themselves
     * (the object holding one reads as the schema it names), so the segment is skipped; a plain
     * {@code $ref} string is looked up in the contract. An empty object when nothing is found.
     */
    private JsonObject schemaAt(JsonSchema root, String keywordPath) {
        if (root == null) {
            return new JsonObject();
        }
        JsonObject json = new JsonObject();
        for (String name : root.fieldNames()) {
            json.put(name, (Object) root.get(name));
        }
        Object node = json;
        for (String segment : keywordPath.split("/")) {
            if (segment.isEmpty() || node == null) {
                continue;
            }
            Object next = JsonPointer.from("/" + segment).queryJson(node);
            if (segment.equals("$ref")) {
                if (next instanceof String ref) {
                    node = JsonPointer.from(fragment(ref)).queryJson(contract.getRawContract());
                }
                continue;
            }
            node = next;
        }
        return node instanceof JsonObject j ? j : new JsonObject();
    }

    private static String field(String pointer) {
        if (pointer.isEmpty() || pointer.equals("/")) {
            return "the body";
        }
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

    private static String typeOf(JsonObject schema) {
        Object type = schema.getValue("type");
        if (type instanceof JsonArray types) {
            // OpenAPI 3.1 writes a nullable string as [string, null]: the type asked for is the first
            return types.isEmpty() ? "of another type" : String.valueOf(types.getValue(0));
        }
        return type == null ? "of another type" : type.toString();
    }

    private static String article(String type) {
        return switch (type.toLowerCase(Locale.ROOT)) {
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

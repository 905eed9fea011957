package io.groupwire.gateway;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * What the OpenAPI validator checks of a request: the body {@link RequestBodies} has read, the path
 * parameters as the router matched them on the normalized path (the validator's own extraction
 * splits the raw path, so {@code /v1//groups/x} would validate another segment than the one
 * routed), and a body of {@code application/json} with a charset parameter as plain
 * {@code application/json}, the only media type {@link JsonBodyCheck} admits.
 */
final class ValidatedInput implements RequestExtractor {
    private static final String JSON = "application/json";
    private final RequestExtractor withBody = RequestExtractor.withBodyHandler();

    @Override
    public Future<ValidatableRequest> extractValidatableRequest(RoutingContext ctx, Operation operation) {
        return withBody.extractValidatableRequest(ctx, operation).map(extracted -> {
            Map<String, RequestParameter> path = new HashMap<>();
            for (Parameter p : operation.getParameters()) {
                if (p.getIn() == Location.PATH) {
                    String value = ctx.pathParam(p.getName());
                    path.put(p.getName(), () -> value);
                }
            }
            String type = extracted.getContentType();
            return new Routed(extracted, path, type != null && JsonBodyCheck.isJson(type) ? JSON : type);
        });
    }

    private record Routed(ValidatableRequest extracted, Map<String, RequestParameter> path, String contentType)
            implements ValidatableRequest {
        @Override
        public Map<String, RequestParameter> getCookies() {
            return extracted.getCookies();
        }

        @Override
        public Map<String, RequestParameter> getPathParameters() {
            return path;
        }

        @Override
        public Map<String, RequestParameter> getQuery() {
            return extracted.getQuery();
        }

        @Override
        public Map<String, RequestParameter> getHeaders() {
            return extracted.getHeaders();
        }

        @Override
        public RequestParameter getBody() {
            return extracted.getBody();
        }

        @Override
        public String getContentType() {
            return contentType;
        }
    }
}

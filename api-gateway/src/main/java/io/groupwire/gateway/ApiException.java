package io.groupwire.gateway;

/**
 * An error the API answers on purpose: its HTTP status, a stable machine-readable code and a
 * message for humans. Thrown or failed into a future by handlers; {@link ErrorResponses} renders it.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final Integer retryAfterSeconds;

    public ApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    public ApiException(int status, String code, String message, Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "invalid_request", message);
    }

    static ApiException notFound(String what) {
        return new ApiException(404, "not_found", what + " not found");
    }

    static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message);
    }

    static ApiException unavailable(String message) {
        return new ApiException(503, "unavailable", message, 1);
    }
}

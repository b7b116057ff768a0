package io.segmentpress.common.error;

import java.util.List;

/**
 * A failure the caller can act on, carrying the HTTP status and a message that is safe to show.
 * Services throw it for refusals that end the request (unknown resource, conflict, bad input).
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<FieldError> errors;
    private final Integer retryAfterSeconds;

    public ApiException(int status, String title, String detail, List<FieldError> errors, Integer retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = errors;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException badRequest(String detail, List<FieldError> errors) {
        return new ApiException(400, "Invalid request", detail, errors, null);
    }

    public static ApiException badRequest(String field, String message) {
        return badRequest(field + " " + message, List.of(new FieldError(field, message)));
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(401, "Unauthorized", detail, null, null);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "Forbidden", detail, null, null);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "Not found", detail, null, null);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "Conflict", detail, null, null);
    }

    public static ApiException methodNotAllowed(String detail) {
        return new ApiException(405, "Method not allowed", detail, null, null);
    }

    public static ApiException payloadTooLarge(String detail) {
        return new ApiException(413, "Payload too large", detail, null, null);
    }

    public static ApiException unsupportedMediaType(String detail) {
        return new ApiException(415, "Unsupported media type", detail, null, null);
    }

    public static ApiException tooManyRequests(String detail, int retryAfterSeconds) {
        return new ApiException(429, "Too many requests", detail, null, retryAfterSeconds);
    }

    public static ApiException unavailable(String detail, int retryAfterSeconds) {
        return new ApiException(503, "Service unavailable", detail, null, retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public Problem toProblem() {
        return new Problem(Problems.typeFor(status), title, status, getMessage(), errors == null || errors.isEmpty() ? null : errors);
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}

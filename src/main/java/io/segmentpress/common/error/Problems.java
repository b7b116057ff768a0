package io.segmentpress.common.error;

import java.util.List;

import jakarta.ws.rs.core.Response;

/** Builds problem+json responses; the one place that knows how an error is written on the wire. */
public final class Problems {

    /** Seconds a sender should wait before retrying when a dependency is down. */
    public static final int RETRY_AFTER_UNAVAILABLE = 5;

    private Problems() {
    }

    static String typeFor(int status) {
        return switch (status) {
            case 400 -> "https://segmentpress.io/problems/invalid-request";
            case 401 -> "https://segmentpress.io/problems/unauthorized";
            case 403 -> "https://segmentpress.io/problems/forbidden";
            case 404 -> "https://segmentpress.io/problems/not-found";
            case 405 -> "https://segmentpress.io/problems/method-not-allowed";
            case 409 -> "https://segmentpress.io/problems/conflict";
            case 413 -> "https://segmentpress.io/problems/payload-too-large";
            case 415 -> "https://segmentpress.io/problems/unsupported-media-type";
            case 429 -> "https://segmentpress.io/problems/rate-limited";
            case 503 -> "https://segmentpress.io/problems/unavailable";
            default -> "about:blank";
        };
    }

    public static Response response(ApiException e) {
        Response.ResponseBuilder builder = Response.status(e.status())
                .type(Problem.MEDIA_TYPE)
                .entity(e.toProblem());
        if (e.retryAfterSeconds() != null) {
            builder.header("Retry-After", e.retryAfterSeconds());
        }
        if (e.status() == 401) {
            builder.header("WWW-Authenticate", "Bearer realm=\"segmentpress\"");
        }
        return builder.build();
    }

    public static Response response(int status, String title, String detail) {
        return response(new ApiException(status, title, detail, null, null));
    }

    public static Response validation(List<FieldError> errors) {
        return response(ApiException.badRequest(errors.size() == 1 ? errors.get(0).message()
                : errors.size() + " fields are invalid", errors));
    }
}

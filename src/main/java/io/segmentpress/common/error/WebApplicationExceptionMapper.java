package io.segmentpress.common.error;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Routing failures from the framework (404, 405, 406, 415, ...) as problem+json. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            return UnexpectedExceptionMapper.unexpected(e);
        }
        ApiException problem = switch (status) {
            case 400 -> ApiException.badRequest("The request body is not valid JSON", (java.util.List<FieldError>) null);
            case 401 -> ApiException.unauthorized("A key is required");
            case 404 -> ApiException.notFound("No such resource");
            case 405 -> ApiException.methodNotAllowed("This method is not allowed on this resource");
            case 406 -> new ApiException(406, "Not acceptable", "This resource answers only application/json", null, null);
            case 415 -> ApiException.unsupportedMediaType("The request body must be JSON (Content-Type: application/json)");
            default -> new ApiException(status, "Error", "The request could not be handled", null, null);
        };
        return Problems.response(problem);
    }
}

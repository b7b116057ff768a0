package io.segmentpress.common.error;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * A value of the wrong type. Registered for the exact type because the framework ships its own
 * mapper for it, which would answer without naming the field.
 */
@Provider
public class MismatchedInputMapper implements ExceptionMapper<MismatchedInputException> {

    private final JsonMappingMapper delegate = new JsonMappingMapper();

    @Override
    public Response toResponse(MismatchedInputException e) {
        return delegate.toResponse(e);
    }
}

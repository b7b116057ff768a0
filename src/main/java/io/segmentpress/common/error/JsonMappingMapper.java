package io.segmentpress.common.error;

import java.util.List;
import java.util.stream.Collectors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/** Malformed JSON or a value of the wrong type: 400 naming the field, never Jackson's own text. */
@Provider
public class JsonMappingMapper implements ExceptionMapper<JsonProcessingException> {

    @Override
    public Response toResponse(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            String message;
            if (e instanceof UnrecognizedPropertyException) {
                message = "is not a known field";
            } else if (e instanceof InvalidFormatException invalid) {
                message = "must be of type " + simpleType(invalid.getTargetType());
            } else if (e instanceof MismatchedInputException mismatched) {
                message = "must be of type " + simpleType(mismatched.getTargetType());
            } else {
                message = "has an invalid value";
            }
            return Problems.validation(List.of(new FieldError(field, message)));
        }
        return Problems.response(ApiException.badRequest("The request body is not valid JSON", (java.util.List<FieldError>) null));
    }

    private static String simpleType(Class<?> type) {
        if (type == null) {
            return "the documented type";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (type == String.class || type.isEnum()) {
            return "string";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "array";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "ISO-8601 date-time";
        }
        return "object";
    }
}

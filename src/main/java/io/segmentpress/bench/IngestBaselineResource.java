package io.segmentpress.bench;

import java.io.IOException;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

import io.segmentpress.common.Json;
import io.segmentpress.common.error.ApiException;

/**
 * The single-event ingest benchmark's baseline (bench/ingest.sh): the same app reading the
 * same JSON body as {@code POST /v1/track} and answering 204 without touching the database.
 * Answers 404 unless {@code segmentpress.bench.enabled=true}; hidden from the API document.
 */
@Path("/v1/bench/ingest-baseline")
public class IngestBaselineResource {

    @ConfigProperty(name = "segmentpress.bench.enabled", defaultValue = "false")
    boolean enabled;

    @POST
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN })
    @Operation(hidden = true)
    public Response parse(byte[] body) {
        if (!enabled) {
            throw ApiException.notFound("Not found");
        }
        try {
            if (body == null || !Json.MAPPER.readTree(body).isObject()) {
                throw ApiException.badRequest("body", "must be a JSON object (one event)");
            }
        } catch (IOException e) {
            throw ApiException.badRequest("body", "is not valid JSON");
        }
        return Response.noContent().build();
    }
}

package io.segmentpress.ingest;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.segmentpress.common.auth.Caller;
import io.segmentpress.common.auth.KeyAuthenticator;
import io.segmentpress.common.auth.KeyKind;
import io.segmentpress.common.auth.SiteKeyRequired;
import io.segmentpress.ingest.IngestApi.Accepted;
import io.segmentpress.ingest.IngestApi.BatchResult;

/**
 * Segment-compatible event ingestion. Bodies are accepted as application/json and as
 * text/plain (browsers send text/plain to avoid a CORS preflight); the key may come as a
 * Bearer token, as HTTP Basic user name, or as {@code writeKey} in the body.
 */
@Path("/v1")
@Tag(name = "Events", description = "Segment-compatible event ingestion (write key or secret key)")
@SecurityRequirement(name = "bearer")
@SiteKeyRequired(value = { KeyKind.WRITE, KeyKind.SECRET }, keyInBody = true)
@Consumes({ MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN })
@Produces(MediaType.APPLICATION_JSON)
public class IngestResource {

    @Inject
    IngestService ingest;

    @Inject
    KeyAuthenticator authenticator;

    @Inject
    Caller caller;

    @Inject
    IngestRateLimiter rateLimiter;

    @POST
    @Path("/batch")
    @Operation(summary = "Send a batch of events", description = "Up to 500 events and 500 KB. Valid events are stored even when others are rejected; each rejected event is listed with its errors.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IngestApi.BatchDoc.class)))
    @APIResponse(responseCode = "200", description = "Stored", content = @Content(schema = @Schema(implementation = BatchResult.class)))
    @APIResponse(responseCode = "413", description = "Request, event or batch over the limit; nothing stored")
    @APIResponse(responseCode = "429", description = "The site is over its request rate; retry after Retry-After")
    public BatchResult batch(byte[] body, @HeaderParam("Origin") String origin) {
        IngestRequest parsed = IngestRequest.parseBatch(body, ingest.limits());
        authenticateFromBody(parsed, origin);
        return ingest.ingestBatch(caller.siteId(), parsed);
    }

    @POST
    @Path("/track")
    @Operation(summary = "Send one track event")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IngestApi.EventDoc.class)))
    public Accepted track(byte[] body, @HeaderParam("Origin") String origin) {
        return one(body, origin, "track");
    }

    @POST
    @Path("/page")
    @Operation(summary = "Send one page event")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IngestApi.EventDoc.class)))
    public Accepted page(byte[] body, @HeaderParam("Origin") String origin) {
        return one(body, origin, "page");
    }

    @POST
    @Path("/identify")
    @Operation(summary = "Send one identify event", description = "Links the anonymousId to the userId; their visitors merge.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IngestApi.EventDoc.class)))
    public Accepted identify(byte[] body, @HeaderParam("Origin") String origin) {
        return one(body, origin, "identify");
    }

    private Accepted one(byte[] body, String origin, String type) {
        IngestRequest parsed = IngestRequest.parseSingle(body, ingest.limits());
        authenticateFromBody(parsed, origin);
        return ingest.ingestOne(caller.siteId(), parsed.events.get(0).node(), type);
    }

    private void authenticateFromBody(IngestRequest parsed, String origin) {
        if (!caller.isAuthenticated()) {
            authenticator.authenticate(parsed.writeKey, java.util.Set.of(KeyKind.WRITE, KeyKind.SECRET), origin);
        }
        rateLimiter.acquire(caller.siteId());
    }
}

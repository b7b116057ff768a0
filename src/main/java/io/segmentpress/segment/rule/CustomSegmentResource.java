package io.segmentpress.segment.rule;

import java.net.URI;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.segmentpress.common.auth.Caller;
import io.segmentpress.common.auth.SiteKeyRequired;
import io.segmentpress.common.error.ApiException;
import io.segmentpress.segment.rule.CustomSegmentApi.CustomSegmentRequest;
import io.segmentpress.segment.rule.CustomSegmentApi.CustomSegmentView;

/** A site's own segments, defined by a JSON rule (docs/custom-segments.md). */
@Path("/v1/segments")
@SiteKeyRequired
@Tag(name = "Segments", description = "Built-in and custom segments, their members, recompute")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CustomSegmentResource {

    @Inject
    CustomSegmentService segments;

    @Inject
    Caller caller;

    @POST
    @Operation(summary = "Create a custom segment", description = "Validates the rule completely (unknown conditions, operators, periods, "
            + "segment references and cycles are refused with the JSON path of the broken part in errors[].field), stores it and "
            + "evaluates it for every visitor of the site before answering.")
    @APIResponse(responseCode = "201", description = "Created; Location names the segment")
    @APIResponse(responseCode = "400", description = "Invalid key, name or rule")
    @APIResponse(responseCode = "409", description = "The key is built in or exists already")
    public Response create(CustomSegmentRequest request) {
        CustomSegmentView created = segments.create(caller.siteId(), request);
        return Response.created(URI.create("/v1/segments/" + created.key())).entity(created).build();
    }

    @PUT
    @Path("/{key}")
    @Operation(summary = "Replace a custom segment", description = "Replaces name, description and rule, then re-evaluates the site.")
    @APIResponse(responseCode = "200", description = "Replaced")
    @APIResponse(responseCode = "400", description = "Invalid name or rule")
    @APIResponse(responseCode = "404", description = "No such custom segment")
    @APIResponse(responseCode = "409", description = "A built-in segment cannot be changed")
    public CustomSegmentView replace(@PathParam("key") String key, CustomSegmentRequest request) {
        return segments.replace(caller.siteId(), key, request).orElseThrow(() -> ApiException.notFound("No custom segment " + key));
    }

    @DELETE
    @Path("/{key}")
    @Operation(summary = "Delete a custom segment", description = "Its members leave it (recorded as exits).")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such custom segment")
    @APIResponse(responseCode = "409", description = "A built-in segment, or one other custom segments use")
    public Response delete(@PathParam("key") String key) {
        if (!segments.delete(caller.siteId(), key)) {
            throw ApiException.notFound("No custom segment " + key);
        }
        return Response.noContent().build();
    }
}

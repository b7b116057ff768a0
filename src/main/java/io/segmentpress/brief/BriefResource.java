package io.segmentpress.brief;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.segmentpress.brief.BriefApi.BriefList;
import io.segmentpress.brief.BriefApi.BriefView;
import io.segmentpress.brief.BriefApi.GenerateRequest;
import io.segmentpress.brief.BriefApi.GenerateResponse;
import io.segmentpress.brief.BriefApi.PatchRequest;
import io.segmentpress.common.auth.Caller;
import io.segmentpress.common.auth.SiteKeyRequired;
import io.segmentpress.common.error.ApiException;

@Path("/v1/briefs")
@SiteKeyRequired
@Tag(name = "Briefs", description = "What to write next for which segment, with the evidence (secret key)")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BriefResource {

    @Inject
    BriefService briefs;

    @Inject
    Caller caller;

    @POST
    @Path("/generate")
    @Operation(summary = "Generate briefs now", description = "Finds what each segment reads and searches for that the catalog does not cover, "
            + "and proposes briefs for it. Does not re-propose a gap with an open brief or one dismissed recently. Also runs on a schedule.")
    @APIResponse(responseCode = "200", description = "The proposals of this run, highest priority first")
    @APIResponse(responseCode = "404", description = "Unknown segment")
    public GenerateResponse generate(GenerateRequest request) {
        return new GenerateResponse(briefs.generate(caller.siteId(), request == null ? null : request.segment()));
    }

    @GET
    @Operation(summary = "List briefs", description = "Highest priority first.")
    @APIResponse(responseCode = "200", description = "The site's briefs")
    public BriefList list(
            @Parameter(description = "Only briefs in this status", schema = @Schema(type = SchemaType.STRING, enumeration = { "proposed",
                    "accepted", "scheduled", "published", "measured", "dismissed" })) @QueryParam("status") String status,
            @Parameter(description = "Only briefs for this segment key") @QueryParam("segment") String segment) {
        return new BriefList(briefs.list(caller.siteId(), status, segment));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a brief")
    @APIResponse(responseCode = "200", description = "The brief")
    @APIResponse(responseCode = "404", description = "No such brief on this site")
    public BriefView get(@PathParam("id") long id) {
        return briefs.find(caller.siteId(), id).orElseThrow(() -> ApiException.notFound("No brief " + id));
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Move a brief along its lifecycle", description = "proposed → accepted → scheduled (wpPostId and scheduledFor required) "
            + "→ published, or dismissed before publication. The service marks published briefs measured once the post has been live long enough.")
    @APIResponse(responseCode = "200", description = "The updated brief", content = @Content(schema = @Schema(implementation = BriefView.class)))
    @APIResponse(responseCode = "400", description = "Unknown status or missing wpPostId/scheduledFor")
    @APIResponse(responseCode = "404", description = "No such brief on this site")
    @APIResponse(responseCode = "409", description = "The lifecycle does not allow this move")
    public BriefView update(@PathParam("id") long id, PatchRequest request) {
        return briefs.update(caller.siteId(), id, request).orElseThrow(() -> ApiException.notFound("No brief " + id));
    }
}

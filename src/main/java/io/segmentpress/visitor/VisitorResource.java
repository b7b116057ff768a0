package io.segmentpress.visitor;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.segmentpress.common.auth.Caller;
import io.segmentpress.common.auth.KeyKind;
import io.segmentpress.common.auth.SiteKeyRequired;
import io.segmentpress.common.error.ApiException;
import io.segmentpress.visitor.VisitorApi.Erased;
import io.segmentpress.visitor.VisitorApi.VisitorSegments;
import io.segmentpress.visitor.VisitorApi.VisitorView;
import io.segmentpress.visitor.VisitorPrivacyService.Export;

/** Visitors: profiles, the segment keys of an anonymous id, privacy export and erasure. */
@Path("/v1/visitors")
@SiteKeyRequired
@Tag(name = "Visitors", description = "Visitor profiles, segment keys for personalization, privacy export and erasure")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class VisitorResource {

    @Inject
    VisitorService visitors;

    @Inject
    VisitorPrivacyService privacy;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "Find a visitor by userId or anonymousId", description = "Give exactly one of the two query parameters.")
    @APIResponse(responseCode = "200", description = "The visitor's profile")
    @APIResponse(responseCode = "400", description = "Neither or both ids given")
    @APIResponse(responseCode = "404", description = "The site has no visitor with that id")
    public VisitorView find(@Parameter(description = "The site's user id (e.g. the WordPress user)") @QueryParam("userId") String userId,
            @Parameter(description = "An anonymous id the tracker sent") @QueryParam("anonymousId") String anonymousId) {
        return visitors.findByExternalId(caller.siteId(), userId, anonymousId).orElseThrow(() -> ApiException.notFound("No such visitor"));
    }

    @GET
    @Path("/{visitorId}")
    @Operation(summary = "A visitor's profile", description = "Ids, first and last seen, sessions, page views, orders, revenue, average "
            + "order value, RFM scores, topic interests, every segment with its evidence, and the journey stage.")
    @APIResponse(responseCode = "200", description = "The profile")
    @APIResponse(responseCode = "404", description = "No such visitor")
    public VisitorView get(@PathParam("visitorId") String visitorId) {
        return visitors.profile(caller.siteId(), parseId(visitorId)).orElseThrow(() -> ApiException.notFound("No such visitor"));
    }

    @GET
    @Path("/{anonymousId}/segments")
    @SiteKeyRequired({ KeyKind.SECRET, KeyKind.WRITE })
    @Operation(summary = "Segment keys of an anonymous id", description = "For personalizing a page; the write key may call it. An id "
            + "the site has never seen answers {segments: [\"stage:awareness\"], stage: \"stage:awareness\"}.")
    @APIResponse(responseCode = "200", description = "Segment keys and stage")
    public VisitorSegments segments(@PathParam("anonymousId") String anonymousId) {
        return visitors.segmentsOfAnonymousId(caller.siteId(), anonymousId);
    }

    @GET
    @Path("/{visitorId}/export")
    @Operation(summary = "Export everything stored about a visitor", description = "Profile, identities, memberships, segment entries and "
            + "exits, and every event with its properties, context and traits (a privacy export).")
    @APIResponse(responseCode = "200", description = "The export", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)))
    @APIResponse(responseCode = "404", description = "No such visitor")
    public Response export(@PathParam("visitorId") String visitorId) {
        long id = parseId(visitorId);
        Export export = privacy.export(caller.siteId(), id).orElseThrow(() -> ApiException.notFound("No such visitor"));
        StreamingOutput body = export::writeTo;
        return Response.ok(body, MediaType.APPLICATION_JSON)
                .header("Content-Disposition", "attachment; filename=\"visitor-" + id + ".json\"")
                .header("Cache-Control", "no-store")
                .build();
    }

    @DELETE
    @Path("/{visitorId}")
    @Operation(summary = "Erase a visitor", description = "Deletes the profile, every event, the identities, memberships, segment entries "
            + "and exits, in one transaction. Later events with the same anonymousId or userId start a new visitor with no link to "
            + "the erased data.")
    @APIResponse(responseCode = "200", description = "Erased")
    @APIResponse(responseCode = "404", description = "No such visitor")
    public Erased erase(@PathParam("visitorId") String visitorId) {
        return privacy.erase(caller.siteId(), parseId(visitorId)).orElseThrow(() -> ApiException.notFound("No such visitor"));
    }

    /** Visitor ids are numbers; anything else names no visitor. */
    private static long parseId(String visitorId) {
        try {
            return Long.parseLong(visitorId);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("No such visitor");
        }
    }
}

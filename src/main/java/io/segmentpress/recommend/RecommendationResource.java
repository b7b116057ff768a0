package io.segmentpress.recommend;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

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
import io.segmentpress.recommend.RecommendationApi.RecommendationList;
import io.segmentpress.recommend.RecommendationApi.Settings;

@Path("/v1/recommendations")
@Tag(name = "Recommendations", description = "Content picked for a visitor's segments, interests and journey stage")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class RecommendationResource {

    @Inject
    RecommendationService recommendations;

    @Inject
    RecommendationSettingsService settings;

    @Inject
    Caller caller;

    @GET
    @SiteKeyRequired({ KeyKind.SECRET, KeyKind.WRITE })
    @Operation(summary = "Recommendations for a visitor",
            description = "Never returns content the visitor has read, the context item, excluded ids or anything unpublished. "
                    + "An unknown visitor gets popular and fresh content in the context item's topics. Takes the write key "
                    + "(browsers) or the secret key.")
    @APIResponse(responseCode = "200", description = "The list; Cache-Control: private, max-age=60",
            content = @Content(schema = @Schema(implementation = RecommendationList.class)))
    @APIResponse(responseCode = "400", description = "A query parameter is invalid")
    public Response forVisitor(
            @Parameter(description = "The visitor's anonymousId", required = true) @QueryParam("visitor") String visitor,
            @Parameter(description = "How many items, 1–20", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER, defaultValue = "5", minimum = "1", maximum = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "Content id of the page the list is shown on", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER)) @QueryParam("context") String context,
            @Parameter(description = "Only this content type; default posts and products", schema = @Schema(enumeration = { "post", "page", "product" })) @QueryParam("type") String type,
            @Parameter(description = "Comma-separated content ids not to recommend, e.g. 12,13") @QueryParam("exclude") String exclude) {
        RecommendationList list = recommendations.forVisitor(caller.siteId(), visitor, limit, context, type, exclude);
        return Response.ok(list).header("Cache-Control", "private, max-age=60").build();
    }

    @GET
    @Path("/settings")
    @SiteKeyRequired
    @Operation(summary = "The site's recommendation experiment")
    public Settings getSettings() {
        return settings.get(caller.siteId());
    }

    @PUT
    @Path("/settings")
    @SiteKeyRequired
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change the site's recommendation experiment",
            description = "controlPercent of visitors (chosen by a stable hash of their anonymousId) get the most popular items "
                    + "instead of the ranked list; 0 turns the experiment off.")
    @APIResponse(responseCode = "200", description = "The settings now in force")
    @APIResponse(responseCode = "400", description = "controlPercent missing or outside 0–100")
    public Settings putSettings(Settings request) {
        return settings.update(caller.siteId(), request);
    }
}

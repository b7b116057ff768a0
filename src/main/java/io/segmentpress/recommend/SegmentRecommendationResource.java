package io.segmentpress.recommend;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.segmentpress.common.auth.Caller;
import io.segmentpress.common.auth.SiteKeyRequired;
import io.segmentpress.recommend.RecommendationApi.SegmentRecommendations;

@Path("/v1/segments/{key}/recommendations")
@SiteKeyRequired
@Tag(name = "Recommendations")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class SegmentRecommendationResource {

    @Inject
    RecommendationService recommendations;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "What to show a segment as a whole",
            description = "The items that fit the segment best: what its members read more than other readers, content that suits "
                    + "its journey stage or purchase behavior, fresh content on its interest.")
    @APIResponse(responseCode = "200", description = "The list")
    @APIResponse(responseCode = "404", description = "The site has no such segment")
    public SegmentRecommendations forSegment(@PathParam("key") String key,
            @Parameter(description = "How many items, 1–20", schema = @Schema(type = SchemaType.INTEGER, defaultValue = "5")) @QueryParam("limit") String limit) {
        return recommendations.forSegment(caller.siteId(), key, limit);
    }
}

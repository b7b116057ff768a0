package io.segmentpress.recommend;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.segmentpress.common.auth.Caller;
import io.segmentpress.common.auth.SiteKeyRequired;
import io.segmentpress.recommend.RecommendationApi.Insights;

@Path("/v1/insights/recommendations")
@SiteKeyRequired
@Tag(name = "Insights")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class RecommendationInsightsResource {

    @Inject
    RecommendationInsightsService insights;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "Impressions, clicks and CTR of recommendations per variant and segment",
            description = "Recommendation Viewed and Recommendation Clicked events are attributed through their rec_id to the list "
                    + "served: its variant and the segments the visitor was in at the time.")
    @APIResponse(responseCode = "200", description = "The figures for the window")
    @APIResponse(responseCode = "400", description = "from/to unreadable or from not before to")
    public Insights report(
            @Parameter(description = "Start: a date in the site's time zone or an ISO instant; default 30 days before to") @QueryParam("from") String from,
            @Parameter(description = "End: a date (inclusive) or an ISO instant (exclusive); default now") @QueryParam("to") String to) {
        return insights.report(caller.siteId(), from, to);
    }
}

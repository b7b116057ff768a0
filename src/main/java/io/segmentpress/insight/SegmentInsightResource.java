package io.segmentpress.insight;

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
import io.segmentpress.insight.SegmentInsightApi.JourneyFlow;
import io.segmentpress.insight.SegmentInsightApi.SegmentSizes;

@Path("/v1/insights")
@SiteKeyRequired
@Tag(name = "Insights", description = "How segments and the audience change over time")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class SegmentInsightResource {

    @Inject
    SegmentInsightService insights;

    @Inject
    Caller caller;

    @GET
    @Path("/segments")
    @Operation(summary = "Daily segment sizes", description = "The size of every segment at the end of each day, with that day's "
            + "entries and exits. Days are in the site's time zone; the default period is the last 30 days.")
    @APIResponse(responseCode = "200", description = "One series per segment")
    @APIResponse(responseCode = "400", description = "A bad date or period")
    public SegmentSizes segments(@Parameter(description = "First day, e.g. 2026-01-01") @QueryParam("from") String from,
            @Parameter(description = "Last day (inclusive); default today") @QueryParam("to") String to) {
        return insights.segmentSizes(caller.siteId(), from, to);
    }

    @GET
    @Path("/journey")
    @Operation(summary = "Journey stage flow", description = "How many visitors moved from one journey stage to another in the period "
            + "(from null: first seen; to null: removed).")
    @APIResponse(responseCode = "200", description = "Moves between stages, largest first")
    @APIResponse(responseCode = "400", description = "A bad date or period")
    public JourneyFlow journey(@QueryParam("from") String from, @QueryParam("to") String to) {
        return insights.journey(caller.siteId(), from, to);
    }
}

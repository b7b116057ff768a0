package io.segmentpress.brief;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.segmentpress.brief.BriefApi.BriefInsightList;
import io.segmentpress.common.auth.Caller;
import io.segmentpress.common.auth.SiteKeyRequired;

@Path("/v1/insights/briefs")
@SiteKeyRequired
@Tag(name = "Insights")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class BriefInsightResource {

    @Inject
    BriefInsights insights;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "How published briefs worked", description = "For each published (or measured) brief: its post, and how members of the "
            + "target segment engaged with it since publication compared with the segment's usual engagement per post over the same period.")
    @APIResponse(responseCode = "200", description = "One item per published brief, newest first")
    public BriefInsightList list() {
        return new BriefInsightList(insights.forSite(caller.siteId()));
    }
}

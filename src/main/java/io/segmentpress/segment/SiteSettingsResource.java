package io.segmentpress.segment;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.segmentpress.common.auth.Caller;
import io.segmentpress.common.auth.SiteKeyRequired;
import io.segmentpress.segment.SegmentApi.SettingsView;

@Path("/v1/site/settings")
@SiteKeyRequired
@Tag(name = "Sites")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SiteSettingsResource {

    @Inject
    SegmentSettingsService settings;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "The site's segment thresholds", description = "Every threshold in effect, defaults included (see docs/segments.md).")
    @APIResponse(responseCode = "200", description = "The thresholds in effect")
    public SettingsView get() {
        return settings.get(caller.siteId());
    }

    @PATCH
    @Operation(summary = "Change segment thresholds", description = "Only the thresholds named are changed; null puts one back to its "
            + "default. Unknown names and values out of range are refused with 400 naming each field. Takes effect at the next "
            + "evaluation (scheduled, or POST /v1/segments/recompute).")
    @RequestBody(description = "e.g. {\"segments\": {\"vip\": {\"minOrders\": 4}, \"dormant\": {\"inactiveDays\": 90}}}")
    @APIResponse(responseCode = "200", description = "The thresholds in effect after the change")
    @APIResponse(responseCode = "400", description = "An unknown setting or a value out of range")
    public SettingsView patch(JsonNode patch) {
        return settings.patch(caller.siteId(), patch);
    }
}

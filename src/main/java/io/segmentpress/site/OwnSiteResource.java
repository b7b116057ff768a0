package io.segmentpress.site;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.segmentpress.common.auth.Caller;
import io.segmentpress.common.auth.SiteKeyRequired;
import io.segmentpress.common.error.ApiException;
import io.segmentpress.site.SiteApi.SiteView;

@Path("/v1/site")
@SiteKeyRequired
@Tag(name = "Sites")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class OwnSiteResource {

    @Inject
    SiteService sites;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "The calling site's settings", description = "Takes the site's secret key; the WordPress plugin's \"Test connection\".")
    public SiteView get() {
        return sites.find(caller.siteId()).orElseThrow(() -> ApiException.unauthorized("The key's site no longer exists"));
    }
}

package io.segmentpress.site;

import java.net.URI;
import java.util.List;

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
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.segmentpress.common.auth.AdminOnly;
import io.segmentpress.common.error.ApiException;
import io.segmentpress.site.SiteApi.CreateSite;
import io.segmentpress.site.SiteApi.RotateKey;
import io.segmentpress.site.SiteApi.RotatedKey;
import io.segmentpress.site.SiteApi.SiteCreated;
import io.segmentpress.site.SiteApi.SiteView;
import io.segmentpress.site.SiteApi.UpdateSite;

@Path("/v1/sites")
@AdminOnly
@Tag(name = "Sites", description = "Site administration (operator's admin token)")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SiteResource {

    @Inject
    SiteService sites;

    @POST
    @Operation(summary = "Create a site", description = "Returns the site with its write key and secret key; the keys are never shown again.")
    @APIResponse(responseCode = "201", description = "Created")
    public Response create(CreateSite request) {
        SiteCreated created = sites.create(request);
        return Response.created(URI.create("/v1/sites/" + created.id())).entity(created).build();
    }

    @GET
    @Operation(summary = "List sites")
    public List<SiteView> list() {
        return sites.list();
    }

    @GET
    @Path("/{siteId}")
    @Operation(summary = "Get a site")
    public SiteView get(@PathParam("siteId") long siteId) {
        return sites.find(siteId).orElseThrow(() -> ApiException.notFound("No site " + siteId));
    }

    @PATCH
    @Path("/{siteId}")
    @Operation(summary = "Change a site", description = "Only the fields present in the body are changed.")
    public SiteView update(@PathParam("siteId") long siteId, UpdateSite request) {
        return sites.update(siteId, request).orElseThrow(() -> ApiException.notFound("No site " + siteId));
    }

    @POST
    @Path("/{siteId}/keys/rotate")
    @Operation(summary = "Rotate a key", description = "Issues a new write or secret key. The previous key keeps working for 24 hours unless immediately=true.")
    public RotatedKey rotate(@PathParam("siteId") long siteId, @QueryParam("immediately") boolean immediately, RotateKey request) {
        return sites.rotate(siteId, request == null ? null : request.which(), immediately)
                .orElseThrow(() -> ApiException.notFound("No site " + siteId));
    }
}

package io.segmentpress.content;

import java.net.URI;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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

import io.segmentpress.common.auth.Caller;
import io.segmentpress.common.auth.SiteKeyRequired;
import io.segmentpress.common.error.ApiException;
import io.segmentpress.content.ContentApi.Batch;
import io.segmentpress.content.ContentApi.BatchResult;
import io.segmentpress.content.ContentApi.ContentItem;
import io.segmentpress.content.ContentApi.Page;

@Path("/v1/content")
@SiteKeyRequired
@Tag(name = "Content", description = "The site's content catalog (secret key)")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ContentResource {

    private static final int MAX_PAGE = 500;

    @Inject
    ContentService content;

    @Inject
    Caller caller;

    @PUT
    @Path("/{contentId}")
    @Operation(summary = "Create or replace an item", description = "contentId is the WordPress post id.")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "200", description = "Replaced")
    public Response put(@PathParam("contentId") long contentId, ContentItem item) {
        ContentService.Upsert result = content.put(caller.siteId(), contentId, item);
        ContentItem stored = content.find(caller.siteId(), contentId).orElseThrow();
        return result == ContentService.Upsert.CREATED
                ? Response.created(URI.create("/v1/content/" + contentId)).entity(stored).build()
                : Response.ok(stored).build();
    }

    @GET
    @Path("/{contentId}")
    @Operation(summary = "Get an item")
    public ContentItem get(@PathParam("contentId") long contentId) {
        return content.find(caller.siteId(), contentId).orElseThrow(() -> ApiException.notFound("No content " + contentId));
    }

    @POST
    @Path("/batch")
    @Operation(summary = "Create or replace up to 500 items", description = "Valid items are stored even when others are rejected.")
    public BatchResult batch(Batch batch) {
        if (batch == null) {
            throw ApiException.badRequest("items", "is required");
        }
        return content.putAll(caller.siteId(), batch.items());
    }

    @DELETE
    @Path("/{contentId}")
    @Operation(summary = "Remove an item")
    @APIResponse(responseCode = "204", description = "Removed")
    public Response delete(@PathParam("contentId") long contentId) {
        if (!content.delete(caller.siteId(), contentId)) {
            throw ApiException.notFound("No content " + contentId);
        }
        return Response.noContent().build();
    }

    @GET
    @Operation(summary = "List the catalog", description = "In contentId order; follow nextCursor for the next page.")
    public Page list(@QueryParam("cursor") String cursor, @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw ApiException.badRequest("limit", "must be between 1 and " + MAX_PAGE);
        }
        return content.list(caller.siteId(), cursor, limit);
    }
}

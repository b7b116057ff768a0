package io.segmentpress.segment;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.segmentpress.common.auth.Caller;
import io.segmentpress.common.auth.SiteKeyRequired;
import io.segmentpress.common.error.ApiException;
import io.segmentpress.segment.SegmentApi.MembersPage;
import io.segmentpress.segment.SegmentApi.RecomputeView;
import io.segmentpress.segment.SegmentApi.SegmentView;

/** Reading segments and their members, and recomputing a site's segments on demand. */
@Path("/v1/segments")
@SiteKeyRequired
@Tag(name = "Segments", description = "Built-in and custom segments, their members, recompute")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class SegmentResource {

    @Inject
    SegmentDirectory directory;

    @Inject
    SegmentEngine engine;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "List segments", description = "Every built-in segment, one interest segment per content category, and the "
            + "site's custom segments, each with its current size.")
    public List<SegmentView> list() {
        return directory.list(caller.siteId());
    }

    @GET
    @Path("/{key}")
    @Operation(summary = "Get a segment")
    @APIResponse(responseCode = "200", description = "The segment")
    @APIResponse(responseCode = "404", description = "No such segment")
    public SegmentView get(@PathParam("key") String key) {
        return directory.find(caller.siteId(), key).orElseThrow(() -> ApiException.notFound("No segment " + key));
    }

    @GET
    @Path("/{key}/members")
    @Operation(summary = "Members of a segment", description = "Pages through members in a stable order; pass nextCursor as cursor "
            + "for the next page.")
    @APIResponse(responseCode = "200", description = "One page of members")
    @APIResponse(responseCode = "400", description = "A bad cursor or limit")
    @APIResponse(responseCode = "404", description = "No such segment")
    public MembersPage members(@PathParam("key") String key, @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        return directory.members(caller.siteId(), key, cursor, limit);
    }

    @GET
    @Path("/{key}/members.csv")
    @Produces("text/csv")
    @Operation(summary = "Members of a segment as CSV", description = "All members, streamed: visitor_id, user_id, anonymous_ids "
            + "(space separated), since. Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.")
    @APIResponse(responseCode = "200", description = "CSV", content = @Content(mediaType = "text/csv"))
    @APIResponse(responseCode = "404", description = "No such segment")
    public Response membersCsv(@PathParam("key") String key) {
        long siteId = caller.siteId();
        if (directory.find(siteId, key).isEmpty()) {
            throw ApiException.notFound("No segment " + key);
        }
        StreamingOutput body = output -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8));
            writer.write("visitor_id,user_id,anonymous_ids,since\r\n");
            try {
                directory.forEachMember(siteId, key, member -> {
                    try {
                        writer.write(Csv.row(String.valueOf(member.visitorId()), member.userId(), String.join(" ", member.anonymousIds()),
                                member.since().toString()));
                    } catch (java.io.IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            writer.flush();
        };
        String filename = key.replaceAll("[^A-Za-z0-9_-]", "_") + "-members.csv";
        return Response.ok(body, "text/csv; charset=UTF-8").header("Content-Disposition", "attachment; filename=\"" + filename + "\"")
                .build();
    }

    @POST
    @Path("/recompute")
    @Operation(summary = "Recompute every segment now", description = "Evaluates every segment for every visitor of the site. Without "
            + "it, membership follows new events within seconds and time windows are re-evaluated on a schedule.")
    @APIResponse(responseCode = "200", description = "Done")
    @APIResponse(responseCode = "503", description = "Another recompute of the site is running")
    public RecomputeView recompute() {
        SegmentEngine.RecomputeResult result = engine.recomputeSite(caller.siteId());
        return new RecomputeView(result.visitors(), result.memberships(), result.tookMs());
    }
}

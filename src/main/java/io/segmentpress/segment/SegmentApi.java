package io.segmentpress.segment;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the segments API. */
public final class SegmentApi {

    private SegmentApi() {
    }

    @Schema(name = "Segment")
    public record SegmentView(
            @Schema(description = "Stable key, e.g. vip, interest:recipes, stage:decision or a custom key", examples = "vip") String key,
            String name,
            @Schema(enumeration = { "purchase", "engagement", "interest", "stage", "custom" }) String family,
            String description,
            @Schema(description = "Visitors in the segment now") long size,
            @Schema(description = "When a visitor last entered or left the segment (or the custom definition changed); null if never") Instant updatedAt) {
    }

    @Schema(name = "SegmentMember")
    public record MemberView(long visitorId, String userId, List<String> anonymousIds,
            @Schema(description = "When the visitor entered the segment") Instant since) {
    }

    @Schema(name = "SegmentMembers")
    public record MembersPage(List<MemberView> items,
            @Schema(description = "Pass as cursor for the next page; null on the last page") String nextCursor) {
    }

    @Schema(name = "RecomputeResult")
    public record RecomputeView(@Schema(description = "Visitors evaluated") int visitors,
            @Schema(description = "Memberships they hold now") int memberships, long tookMs) {
    }

    @Schema(name = "SiteSettings", description = "Every segment threshold in effect for the site, grouped as in a PATCH body")
    public record SettingsView(Map<String, Map<String, Integer>> segments) {
    }
}

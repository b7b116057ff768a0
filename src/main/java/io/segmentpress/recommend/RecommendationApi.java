package io.segmentpress.recommend;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the recommendations API. */
public final class RecommendationApi {

    private RecommendationApi() {
    }

    @Schema(name = "RecommendationItem")
    public record Item(
            @Schema(description = "The WordPress post id") long contentId,
            String title,
            String url,
            @Schema(description = "Blended ranking score (higher is better); only comparable within one list") double score,
            @Schema(description = "Why this item was chosen, in words a visitor understands", examples = "Popular with bargain hunters lately") String reason) {

        static Item of(Recommended recommended) {
            CatalogItem item = recommended.item();
            return new Item(item.contentId(), item.title(), item.url(), recommended.score(), recommended.reason());
        }
    }

    @Schema(name = "RecommendationList")
    public record RecommendationList(
            @Schema(description = "Id of this list; send it back with Recommendation Viewed / Clicked events") String recId,
            @Schema(description = "The anonymousId the list is for") String visitor,
            @Schema(description = "Every segment key the visitor is in, the stage key included") List<String> segments,
            @Schema(examples = "stage:consideration") String stage,
            @Schema(enumeration = { "ranked", "control" }, description = "Experiment variant the visitor is assigned to") String variant,
            List<Item> items) {
    }

    @Schema(name = "SegmentRecommendations")
    public record SegmentRecommendations(String segment, List<Item> items) {
    }

    @Schema(name = "RecommendationSettings", description = "A site's recommendation experiment")
    public record Settings(
            @Schema(description = "Share of visitors (0–100) who get the control list, the site's most popular items, instead of the ranked list; 0 turns the experiment off",
                    minimum = "0", maximum = "100", required = true) Integer controlPercent) {
    }

    @Schema(name = "RecommendationVariantStats")
    public record VariantStats(
            @Schema(enumeration = { "ranked", "control" }) String variant,
            @Schema(description = "Lists served") long served,
            @Schema(description = "Lists seen (distinct rec ids of Recommendation Viewed events)") long impressions,
            @Schema(description = "Distinct (rec id, item) pairs of Recommendation Clicked events") long clicks,
            @Schema(description = "clicks / impressions") double ctr) {
    }

    @Schema(name = "RecommendationSegmentStats", description = "A list counts for every segment the visitor was in when it was served")
    public record SegmentStats(String segment, String variant, long served, long impressions, long clicks, double ctr) {
    }

    @Schema(name = "RecommendationInsights")
    public record Insights(Instant from, Instant to, List<VariantStats> variants, List<SegmentStats> segments,
            @Schema(description = "Viewed/clicked events whose rec id matches no served list of this site") long unattributedEvents) {
    }
}

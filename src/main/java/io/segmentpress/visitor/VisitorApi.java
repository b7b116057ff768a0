package io.segmentpress.visitor;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Response bodies of the visitor API. */
public final class VisitorApi {

    private VisitorApi() {
    }

    @Schema(name = "Visitor", description = "A merged visitor: every anonymous id linked to one user id, with the aggregates segments use")
    public record VisitorView(
            @Schema(description = "The service's id for the merged visitor") long visitorId,
            String userId,
            List<String> anonymousIds,
            Instant firstSeen,
            Instant lastSeen,
            @Schema(description = "Sessions ever (a session ends after 30 minutes without an event)") int sessions,
            int pageViews,
            @Schema(description = "Distinct days with activity in the last 30, in the site's time zone") int activeDays30,
            long engagedSeconds,
            @Schema(description = "Completed orders, not counting those refunded in full") int orders,
            BigDecimal revenue,
            @Schema(description = "null without orders") BigDecimal averageOrderValue,
            Instant lastOrderAt,
            @Schema(description = "null until the visitor is a customer") Rfm rfm,
            @Schema(description = "Top content categories by decayed engaged reading, largest share first") List<Interest> interests,
            @Schema(description = "Every segment the visitor is in (the stage included), with the evidence") List<Membership> segments,
            @Schema(description = "Journey stage key", examples = "stage:retention") String stage,
            @Schema(description = "When the segment engine last computed this profile; null when the figures were just computed from "
                    + "the events because the engine has not seen the visitor yet") Instant computedAt) {
    }

    @Schema(name = "VisitorRfm", description = "Recency, frequency and monetary scores 1-5 (quintiles within the site) and the RFM cell")
    public record Rfm(Integer recency, Integer frequency, Integer monetary, String cell, String evidence) {
    }

    @Schema(name = "VisitorInterest")
    public record Interest(String category, BigDecimal share, Integer reads) {
    }

    @Schema(name = "VisitorMembership")
    public record Membership(String key,
            @Schema(enumeration = { "purchase", "engagement", "interest", "stage", "custom" }) String family,
            @Schema(description = "When the visitor entered the segment") Instant since,
            @Schema(description = "Why the visitor is in it", examples = "4 orders in 365 days; AOV 120.00 ≥ site p75 95.00") String evidence) {
    }

    @Schema(name = "VisitorSegments", description = "The segment keys of one visitor, for personalizing a page")
    public record VisitorSegments(
            @Schema(description = "Every segment key, all families, the stage key included") List<String> segments,
            @Schema(examples = "stage:awareness") String stage) {
    }

    @Schema(name = "VisitorErased")
    public record Erased(@Schema(description = "Events deleted with the visitor") long eventsDeleted) {
    }
}

package io.segmentpress.brief;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the briefs API. */
public final class BriefApi {

    private BriefApi() {
    }

    @Schema(name = "BriefGenerate")
    public record GenerateRequest(
            @Schema(description = "Only generate briefs for this segment key; all segments when absent", examples = "bargain-hunter") String segment) {
    }

    @Schema(name = "BriefGenerated")
    public record GenerateResponse(
            @Schema(description = "The briefs this run proposed (new ones and open proposals refreshed with current numbers), highest priority first") List<BriefView> briefs) {
    }

    @Schema(name = "BriefPatch")
    public record PatchRequest(
            @Schema(enumeration = { "accepted", "scheduled", "published", "dismissed" }, required = true) String status,
            @Schema(description = "WordPress post id of the draft or post; required for scheduled") Long wpPostId,
            @Schema(description = "When the post is scheduled to go live; required for scheduled") Instant scheduledFor) {
    }

    @Schema(name = "BriefList")
    public record BriefList(List<BriefView> items) {
    }

    @Schema(name = "Brief")
    public record BriefView(
            long id,
            @Schema(description = "Target segment key", examples = "bargain-hunter") String segment,
            @Schema(description = "Readable name of the segment", examples = "bargain hunters") String segmentName,
            @Schema(enumeration = { "new", "refresh" }) String kind,
            Topic topic,
            @Schema(enumeration = { "awareness", "consideration", "decision", "retention", "advocacy" }) String journeyStage,
            String title,
            List<String> alternativeTitles,
            String primaryKeyword,
            List<String> secondaryKeywords,
            @Schema(description = "The benefit this segment is looking for") String angle,
            Audience audience,
            List<String> outline,
            List<ContentLink> internalLinks,
            @Schema(description = "For refresh briefs: the piece to update") ContentLink refreshOf,
            String cta,
            WordCount wordCount,
            @Schema(description = "Next hour of the week in which this segment is most active, at least the configured lead time ahead") Instant suggestedPublishAt,
            @Schema(minimum = "0", maximum = "100") int priority,
            String rationale,
            @Schema(enumeration = { "proposed", "accepted", "scheduled", "published", "measured", "dismissed" }) String status,
            Long wpPostId,
            Instant scheduledFor,
            Instant publishedAt,
            Instant createdAt,
            Instant updatedAt) {
    }

    @Schema(name = "BriefTopic", description = "A category or tag of the catalog, or a search query no content answers")
    public record Topic(@Schema(enumeration = { "category", "tag", "search" }) String taxonomy, String slug, String name) {

        String key() {
            return taxonomy + ":" + slug;
        }
    }

    @Schema(name = "BriefAudience")
    public record Audience(
            @Schema(description = "Members of the segment now") int size,
            @Schema(description = "Lifetime revenue of the members") BigDecimal revenue,
            String currency,
            @Schema(description = "What this segment read most on the topic in the demand window") List<ContentStat> topContent,
            @Schema(description = "The segment's own searches on the topic in the demand window") List<SearchStat> topSearches,
            @Schema(description = "The numbers behind the brief, one sentence each") List<String> evidence) {
    }

    @Schema(name = "BriefContentStat")
    public record ContentStat(long contentId, String title, String url, int reads, long engagedSeconds,
            @Schema(description = "Share of reads that scrolled to at least 75 %") double completion) {
    }

    @Schema(name = "BriefSearchStat")
    public record SearchStat(String query, int searches, int searchers,
            @Schema(description = "Searches after which the searcher opened no content within 30 minutes") int unanswered) {
    }

    @Schema(name = "BriefContentLink")
    public record ContentLink(long contentId, String title, String url) {
    }

    @Schema(name = "BriefWordCount")
    public record WordCount(int min, int max) {
    }

    @Schema(name = "BriefInsights")
    public record BriefInsightList(List<BriefInsight> items) {
    }

    @Schema(name = "BriefInsight", description = "How the brief's target segment engaged with the published post")
    public record BriefInsight(
            long briefId,
            String segment,
            String title,
            String status,
            Long wpPostId,
            @Schema(description = "The post as synced from WordPress; null until it is in the content catalog") ContentLink post,
            Instant publishedAt,
            @Schema(description = "Engagement of the segment's members with this post") Engagement segmentEngagement,
            @Schema(description = "The segment's usual engagement per post over the same period") Engagement segmentAveragePerPost,
            @Schema(description = "segment views of this post ÷ the segment's average views per post; null without a baseline") Double viewsIndex,
            @Schema(description = "engaged seconds per read on this post ÷ the segment's usual; null without a baseline") Double engagedTimeIndex) {
    }

    @Schema(name = "BriefEngagement")
    public record Engagement(double views, double readers, double engagedSeconds,
            @Schema(description = "Average scroll depth of reads, 0–100") Double completion) {
    }
}

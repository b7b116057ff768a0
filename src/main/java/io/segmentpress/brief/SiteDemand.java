package io.segmentpress.brief;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import io.segmentpress.brief.BriefApi.Topic;

/**
 * Everything brief generation knows about one site at one moment: the catalog (supply), what each
 * segment read and searched in the demand window (demand), and who the segments are (value). Loaded
 * in a handful of set-based queries by {@link DemandQueries}; read by the pure {@link GapFinder} and
 * {@link BriefWriter}.
 */
public record SiteDemand(
        long siteId,
        ZoneId zone,
        String currency,
        Instant now,
        Instant windowStart,
        int siteVisitors,
        BigDecimal siteRevenue,
        Map<String, SegmentStats> segments,
        Map<Long, Post> posts,
        Map<String, Map<Long, ReadStats>> segmentReads,
        Map<Long, ReadStats> siteReads,
        Map<String, List<SearchStats>> segmentSearches,
        Map<String, long[]> segmentActivity) {

    /**
     * A segment now: its size, what its members are worth and which journey stages they are in.
     * {@code membersForTwoWeeks} counts members who joined it, or were first seen, 14+ days ago.
     */
    public record SegmentStats(String key, String name, int size, BigDecimal revenue, int orders,
            Map<String, Integer> stageMix, int membersForTwoWeeks) {

        /** The journey stage most members are in, without the {@code stage:} prefix. */
        public String dominantStage() {
            if (key.startsWith("stage:")) {
                return key.substring("stage:".length());
            }
            return stageMix.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> e.getKey().replace("stage:", ""))
                    .orElse("awareness");
        }
    }

    /** A published catalog item with its categories and tags. */
    public record Post(long id, String title, String url, String type, Instant publishedAt, Instant modifiedAt,
            String journeyStage, Integer wordCount, List<Topic> terms) {

        /** When the piece was last touched: modified, else published. */
        public Instant lastTouched() {
            return modifiedAt != null ? modifiedAt : publishedAt;
        }
    }

    /** Engaged reading of one post (by a segment or the whole site) in the window. */
    public record ReadStats(int reads, long engagedSeconds, int completed) {

        public static final ReadStats NONE = new ReadStats(0, 0, 0);

        public ReadStats plus(ReadStats other) {
            return new ReadStats(reads + other.reads, engagedSeconds + other.engagedSeconds,
                    completed + other.completed);
        }
    }

    /**
     * One normalized query of a segment's on-site searches in the window. {@code ledTo} counts,
     * per post, the answered searches whose first content opened afterwards was that post.
     */
    public record SearchStats(String query, int searches, int searchers, int unanswered, int unansweredSearchers,
            Map<Long, Integer> ledTo) {
    }
}

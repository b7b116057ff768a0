package io.segmentpress.brief;

import java.util.List;

import io.segmentpress.brief.BriefApi.Topic;
import io.segmentpress.brief.SiteDemand.Post;
import io.segmentpress.brief.SiteDemand.ReadStats;
import io.segmentpress.brief.SiteDemand.SearchStats;
import io.segmentpress.brief.SiteDemand.SegmentStats;

/**
 * Something a segment wants and the catalog does not give it, with the numbers that show it.
 * Found by {@link GapFinder}; turned into words by {@link BriefWriter}.
 *
 * @param topicKey         stable identity of what the brief is about (with the segment, the de-duplication key)
 * @param refreshOf        for {@link Type#REFRESH}: the stale piece to update
 * @param topicReads       the segment's engaged reading on the topic in the window
 * @param readingShare     share of the segment's engaged time spent on the topic
 * @param lift             readingShare ÷ the site's share on the topic (1 = like everyone else)
 * @param searches         the segment's queries about the topic, most searched first
 * @param relatedSearches  the segment's answered queries that led to pieces on the topic
 * @param supply           published pieces on the topic
 * @param freshSupply      of those, pieces touched within the staleness limit
 * @param stageSupply      for {@link Type#STAGE}: pieces on the topic made for the stage
 * @param topPosts         the segment's most-engaged pieces on the topic, best first
 * @param secondsPerRead   how long this segment reads a piece (on the topic when there is enough data)
 * @param completion       share of the segment's reads that reach 75 % scroll depth
 */
record Gap(
        Type type,
        SegmentStats segment,
        Topic topic,
        String topicKey,
        String journeyStage,
        Angle angle,
        Post refreshOf,
        ReadStats topicReads,
        double readingShare,
        double lift,
        List<SearchStats> searches,
        List<SearchStats> relatedSearches,
        List<Post> supply,
        int freshSupply,
        List<Post> stageSupply,
        List<PostReads> topPosts,
        double secondsPerRead,
        double completion,
        Scores scores) {

    enum Type {
        /** A category or tag the segment over-reads or searches for, with too little fresh content. */
        TOPIC,
        /** Searches that led nowhere and match no topic of the catalog. */
        SEARCH,
        /** A well-read piece that has not been updated for a long time. */
        REFRESH,
        /** A stage segment that is stuck for want of content made for its stage. */
        STAGE
    }

    /** The three parts of the priority, each 0–1, and the priority itself (0–100). */
    record Scores(double demand, double missingSupply, double value, int priority) {

        static Scores of(double demand, double missingSupply, double value) {
            double weighted = 0.45 * clamp(demand) + 0.30 * clamp(missingSupply) + 0.25 * clamp(value);
            return new Scores(clamp(demand), clamp(missingSupply), clamp(value), (int) Math.round(100 * weighted));
        }

        static double clamp(double value) {
            return Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, value));
        }
    }

    record PostReads(Post post, ReadStats reads) {
    }

    int unanswered() {
        return searches.stream().mapToInt(SearchStats::unanswered).sum();
    }

    int searchCount() {
        return searches.stream().mapToInt(SearchStats::searches).sum();
    }

    /** Distinct searchers of the most-searched query: a floor on how many members searched (members may use several phrasings). */
    int searchers() {
        return searches.stream().mapToInt(SearchStats::searchers).max().orElse(0);
    }

    int unansweredSearchers() {
        return searches.stream().mapToInt(SearchStats::unansweredSearchers).max().orElse(0);
    }
}

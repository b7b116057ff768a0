package io.segmentpress.brief;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How publishing briefs are found, scored and written. */
@ConfigMapping(prefix = "segmentpress.briefs")
public interface BriefsConfig {

    /** When the scheduled generation runs for every site (Quartz-style cron, server time). */
    @WithDefault("0 15 3 * * ?")
    String generateCron();

    /** How far back demand (reading, searches, activity) is measured. */
    @WithDefault("P30D")
    Duration window();

    /** A search is "unanswered" when the searcher opened no content within this time afterwards. */
    @WithDefault("PT30M")
    Duration searchAnsweredWithin();

    /** A piece not modified for this long is stale: if it is still well read, it gets a refresh brief. */
    @WithDefault("P365D")
    Duration staleAfter();

    /** A topic with at least this many fresh (non-stale) published pieces counts as covered. */
    @WithDefault("3")
    int coveredAt();

    /** Segments smaller than this get no briefs (too little evidence). */
    @WithDefault("5")
    int minSegmentSize();

    /** Reads (Content Engaged events) a segment needs on a topic before its reading counts as demand. */
    @WithDefault("10")
    int minReads();

    /** A segment over-indexes on a topic when its share of reading time is at least this multiple of the site's. */
    @WithDefault("1.3")
    double minLift();

    /** Unanswered searches (by at least 2 members) that make a query a demand signal on its own. */
    @WithDefault("5")
    int minUnansweredSearches();

    /** A well-read stale piece is one among the site's top this-share of pieces by engaged time. */
    @WithDefault("0.2")
    double refreshTopShare();

    /** Share of a stage segment's members who have been in it for 14+ days that makes it "stuck". */
    @WithDefault("0.5")
    double stuckShare();

    /** Briefs below this priority are not proposed. */
    @WithDefault("20")
    int minPriority();

    /** At most this many new proposals per segment and run. */
    @WithDefault("3")
    int maxPerSegment();

    /** At most this many proposals per run. */
    @WithDefault("15")
    int maxPerRun();

    /** A dismissed brief is not proposed again for the same segment and topic within this time. */
    @WithDefault("P90D")
    Duration dismissCooldown();

    /** Reading speed used to turn engaged seconds into a word count. */
    @WithDefault("230")
    int readingWordsPerMinute();

    /** The suggested publish slot is the segment's busiest hour of the week at least this far ahead (time to write). */
    @WithDefault("P3D")
    Duration publishLeadTime();

    /** Threads (each with its own database connection) the window's reads are split over by visitor. */
    @WithDefault("2")
    int threads();

    /** A published brief is marked measured once its post has been live this long. */
    @WithDefault("P14D")
    Duration measureAfter();
}

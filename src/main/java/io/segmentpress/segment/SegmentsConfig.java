package io.segmentpress.segment;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the segment engine runs. Thresholds of the segments themselves are per-site settings ({@link SegmentSettings}). */
@ConfigMapping(prefix = "segmentpress.segments")
public interface SegmentsConfig {

    /** How often visitors with new events are recomputed (a quarkus-scheduler interval such as {@code 1s}). */
    @WithDefault("1s")
    String drainEvery();

    /**
     * When sites are re-evaluated so visitors leave time windows without new events
     * (Quartz-style cron). Each run evaluates only the sites whose segments can have changed
     * since their last full evaluation: a new calendar day in the site's zone, changed settings
     * or catalog, custom segments, or a last pass older than {@link #fullPassMaxAge()}.
     */
    @WithDefault("0 */15 * * * ?")
    String recomputeCron();

    /**
     * A site is evaluated in full at least this often even when nothing else calls for it, so
     * that RFM scores and the VIP percentile of visitors without new events follow the other
     * customers' orders.
     */
    @WithDefault("6h")
    Duration fullPassMaxAge();

    /** Whether the scheduled jobs run in this process; off in tests, which call the engine directly. */
    @WithDefault("true")
    boolean jobsEnabled();

    /**
     * At most this many dirty visitors are recomputed per round of a drain. A scheduled drain's
     * rounds are smaller when fewer fit in what is left of its slice ({@link #drainSlice()}).
     */
    @WithDefault("2000")
    int drainBatchSize();

    /**
     * The most of its running time a long drain spends working; it rests for the remainder between
     * rounds, so a flood of events slows profile updates down rather than ingestion (1 = never rests).
     */
    @WithDefault("0.25")
    double drainMaxShare();

    /**
     * A drain starts no new round after working this long; it then rests (see
     * {@link #drainMaxShare()}). Short slices keep the requests that arrive during one from
     * queueing behind it for long.
     */
    @WithDefault("1s")
    Duration drainSlice();

    /** A full recompute reads events for this many visitors at a time. */
    @WithDefault("4000")
    int chunkVisitors();

    /** Threads a full recompute computes chunks on (the database does the rest of the work). */
    @WithDefault("2")
    int threads();

    /**
     * For how many sites the customer distribution (RFM and VIP inputs) is kept in memory between
     * drains, so a drain does not read every customer row of its site (0 = always read).
     */
    @WithDefault("100")
    int customerCacheSites();
}

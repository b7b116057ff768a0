package io.segmentpress.recommend;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How recommendations are ranked and how their in-memory model is kept fresh. */
@ConfigMapping(prefix = "segmentpress.recommend")
public interface RecommendConfig {

    /**
     * Weights of the signals blended into an item's score (none negative: the service refuses to
     * start otherwise, see {@link RankingWeights}); each signal is scaled to 0–1 first.
     */
    Weights weights();

    /**
     * How strongly the list is diversified (0 = pure score order, 1 = mostly novelty): an item's
     * score is reduced by this factor times its topic overlap with items already picked.
     */
    @WithDefault("0.35")
    double diversity();

    /** Age at which freshness counts half. */
    @WithDefault("P14D")
    Duration freshnessHalfLife();

    /** How far back reading behavior feeds popularity, segment popularity and co-reading. */
    @WithDefault("P30D")
    Duration behaviorWindow();

    /** Only a visitor's most recent reads in the window pair up for co-reading. */
    @WithDefault("20")
    int coReadReadsPerVisitor();

    /** Neighbours kept per item for "readers also read". */
    @WithDefault("20")
    int coReadNeighbours();

    /** Items kept per segment for segment popularity. */
    @WithDefault("200")
    int itemsPerSegment();

    /** How often the behavior part of the model (popularity, segments, co-reading) is rebuilt from the database. */
    @WithDefault("PT5M")
    Duration behaviorRefresh();

    /**
     * How long a site's first request waits for the model's behavior statistics (built in the
     * background) before it is answered from the catalog alone: popular-ness and co-reading are
     * missing from that answer, topics, stage fit, freshness and the visitor's reads are not.
     */
    @WithDefault("PT0.5S")
    Duration firstBuildWait();

    /** How often a replica checks the catalog and the site's settings for changes made through another replica. */
    @WithDefault("PT1S")
    Duration catalogPoll();

    /** A site whose model was not used for this long is dropped from memory. */
    @WithDefault("PT1H")
    Duration idleEviction();

    interface Weights {
        /** The visitor's topic interests against the item's categories and tags. */
        @WithDefault("0.30")
        double interest();

        /** What visitors in the same segments read recently (lift over the site average). */
        @WithDefault("0.25")
        double segment();

        /** "Readers like you also read": item-item co-reading with the visitor's recent reads. */
        @WithDefault("0.30")
        double coRead();

        /** Closeness to the page the list is shown on (co-reading and shared topics). */
        @WithDefault("0.20")
        double context();

        /** Fit with the visitor's journey stage and purchase behavior (products when deciding, deals for bargain hunters…). */
        @WithDefault("0.30")
        double fit();

        /** Recently published content. */
        @WithDefault("0.10")
        double freshness();

        /** Site-wide popularity. */
        @WithDefault("0.10")
        double popularity();
    }
}

package io.segmentpress.ingest;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of event ingestion (see the API contract; raising them is at the operator's risk). */
@ConfigMapping(prefix = "segmentpress.ingest")
public interface IngestConfig {

    /** Largest request body in bytes; larger requests are refused whole with 413. */
    @WithDefault("512000")
    int maxRequestBytes();

    /** Largest single event in bytes (its JSON as sent). */
    @WithDefault("32768")
    int maxEventBytes();

    /** Most events in one batch. */
    @WithDefault("500")
    int maxBatchSize();

    /** Deepest JSON nesting accepted inside one event. */
    @WithDefault("20")
    int maxDepth();

    /** Oldest event timestamp accepted (backfill and imports). */
    @WithDefault("P400D")
    Duration maxAge();

    /** How far in the future a timestamp may lie (after clock-skew correction). */
    @WithDefault("PT10M")
    Duration maxFuture();

    /**
     * Threads that store events. Requests that arrive while every writer is busy are stored
     * together in the next free writer's transaction (group commit).
     */
    @WithDefault("4")
    int writers();

    /** Most events one writer stores in a single transaction. */
    @WithDefault("2000")
    int groupMaxEvents();

    /** Per-site request rate limit of the ingestion endpoints (per replica). */
    RateLimit rateLimit();

    interface RateLimit {
        /** Sustained requests per second for one site; 0 switches the limit off. */
        @WithDefault("1000")
        double requestsPerSecond();

        /** Requests a site may send at once above the sustained rate. */
        @WithDefault("2000")
        int burst();
    }
}

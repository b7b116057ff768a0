package io.segmentpress.segment;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/**
 * The engine's two schedules. Both are thin: the work (and the cluster-wide lock that makes it
 * run in one replica at a time) is in {@link SegmentEngine}.
 */
@ApplicationScoped
public class SegmentJobs {

    private static final Logger LOG = Logger.getLogger(SegmentJobs.class);

    @Inject
    SegmentEngine engine;

    @Inject
    SegmentsConfig config;

    /** Visitors with new events get their profile and segments within about a second. */
    @Scheduled(identity = "segments-drain", every = "{segmentpress.segments.drain-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void drainDirtyVisitors() {
        if (!config.jobsEnabled()) {
            return;
        }
        try {
            engine.drainDirty();
        } catch (RuntimeException e) {
            LOG.warn("draining dirty visitors failed; retrying on the next run", e);
        }
    }

    /** Every site is re-evaluated so visitors leave time windows ("no visit in 60 days") without new events. */
    @Scheduled(identity = "segments-recompute", cron = "{segmentpress.segments.recompute-cron}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void recomputeTimeWindows() {
        if (!config.jobsEnabled()) {
            return;
        }
        engine.recomputeAllSites();
    }
}

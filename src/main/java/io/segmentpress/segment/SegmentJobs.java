package io.segmentpress.segment;

import java.util.concurrent.TimeUnit;

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

    /** A drain works at most this long before it rests. */
    private static final long SLICE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long MAX_REST_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** Until when the drain rests after a long slice of work (System.nanoTime()). */
    private volatile long restUntil = System.nanoTime();

    /**
     * Visitors with new events get their profile and segments within about a second. Under a
     * flood of events a drain slice is long; the next one then waits so that draining takes at
     * most {@code segmentpress.segments.drain-max-share} of the time, and ingestion keeps the rest.
     * The rest is taken without holding the drain lock.
     */
    @Scheduled(identity = "segments-drain", every = "{segmentpress.segments.drain-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void drainDirtyVisitors() {
        if (!config.jobsEnabled() || System.nanoTime() - restUntil < 0) {
            return;
        }
        long started = System.nanoTime();
        try {
            engine.drainDirty(SLICE_NANOS);
        } catch (RuntimeException e) {
            LOG.warn("draining dirty visitors failed; retrying on the next run", e);
        }
        long worked = System.nanoTime() - started;
        restUntil = System.nanoTime() + restAfter(worked, config.drainMaxShare());
    }

    /** How long to rest after {@code workedNanos} of draining so that draining takes {@code share} of the time. */
    static long restAfter(long workedNanos, double share) {
        if (share >= 1 || share <= 0) {
            return 0;
        }
        return Math.min(MAX_REST_NANOS, (long) (workedNanos * (1 - share) / share));
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

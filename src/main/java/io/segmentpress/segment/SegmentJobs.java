package io.segmentpress.segment;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;

/**
 * The engine's two schedules. Both are thin: the work (and the cluster-wide lock that makes it
 * run in one replica at a time) is in {@link SegmentEngine}.
 */
@ApplicationScoped
public class SegmentJobs {

    private static final Logger LOG = Logger.getLogger(SegmentJobs.class);

    private static final long MAX_REST_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** A run of the drain job works and rests in turn for at most this long, then gives the thread back. */
    private static final long MAX_RUN_NANOS = TimeUnit.SECONDS.toNanos(10);

    @Inject
    SegmentEngine engine;

    @Inject
    SegmentsConfig config;

    @Inject
    Scheduler scheduler;

    /** Until when the drain rests after its last slice of work (System.nanoTime()). */
    private volatile long restUntil = System.nanoTime();

    /** One slice of draining: works at most {@code maxNanos} (at least one round) and returns the visitors drained. */
    @FunctionalInterface
    interface Drain {
        int drain(long maxNanos);
    }

    @FunctionalInterface
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    /**
     * Visitors with new events get their profile and segments within about a second. Under a
     * flood of events the drain works in short slices ({@code segmentpress.segments.drain-slice})
     * and rests between them, so that draining takes at most
     * {@code segmentpress.segments.drain-max-share} of the time and ingestion keeps the rest;
     * short slices keep requests from queueing behind a long one. The rests are taken without
     * holding the drain lock.
     */
    @Scheduled(identity = "segments-drain", every = "{segmentpress.segments.drain-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void drainDirtyVisitors() {
        if (!config.jobsEnabled() || System.nanoTime() - restUntil < 0) {
            return;
        }
        Drain drain = maxNanos -> {
            try {
                return engine.drainDirty(maxNanos);
            } catch (RuntimeException e) {
                LOG.warn("draining dirty visitors failed; retrying on the next run", e);
                return 0;
            }
        };
        restUntil = pace(drain, config.drainSlice().toNanos(), config.drainMaxShare(), MAX_RUN_NANOS, System::nanoTime,
                nanos -> TimeUnit.NANOSECONDS.sleep(nanos), scheduler::isRunning);
    }

    /**
     * Works slices of at most {@code sliceNanos} while each one ends with visitors still waiting,
     * resting after each so that working takes {@code share} of the time, for up to
     * {@code maxRunNanos} or until {@code running} turns false. Returns until when (on
     * {@code clock}) the next run must rest.
     */
    static long pace(Drain drain, long sliceNanos, double share, long maxRunNanos, LongSupplier clock, Sleeper sleeper,
            BooleanSupplier running) {
        long runStarted = clock.getAsLong();
        while (true) {
            long started = clock.getAsLong();
            int drained = drain.drain(sliceNanos);
            long ended = clock.getAsLong();
            long worked = ended - started;
            long restUntil = ended + restAfter(worked, share);
            boolean waiting = drained > 0 && worked >= sliceNanos; // a drain that ran out of visitors returns early
            if (!waiting || restUntil - runStarted >= maxRunNanos || !running.getAsBoolean()) {
                return restUntil;
            }
            try {
                sleeper.sleep(restUntil - ended);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return restUntil;
            }
            if (!running.getAsBoolean()) {
                return clock.getAsLong();
            }
        }
    }

    /** How long to rest after {@code workedNanos} of draining so that draining takes {@code share} of the time. */
    static long restAfter(long workedNanos, double share) {
        if (share >= 1 || share <= 0) {
            return 0;
        }
        return Math.min(MAX_REST_NANOS, (long) (workedNanos * (1 - share) / share));
    }

    /** Sites are re-evaluated so visitors leave time windows ("no visit in 60 days") without new events; see {@link FullPasses}. */
    @Scheduled(identity = "segments-recompute", cron = "{segmentpress.segments.recompute-cron}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void recomputeTimeWindows() {
        if (!config.jobsEnabled()) {
            return;
        }
        engine.recomputeAllSites();
    }
}

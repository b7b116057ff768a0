package io.segmentpress.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The scheduled drain works in short slices and rests so that draining takes at most its configured share of the time. */
class DrainPacingTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SLICE = 300 * MS;

    /** A drain on a clock of its own: each call works the scripted time and drains the scripted visitors. */
    private static final class ScriptedDrain implements SegmentJobs.Drain {
        long now = 1_000 * SECOND;
        final long[][] script; // {worked nanos, visitors drained}
        int calls;
        final List<Long> rests = new ArrayList<>();
        final List<Long> sliceLimits = new ArrayList<>();
        boolean running = true;
        int pauseAfterCall = -1;

        ScriptedDrain(long[]... script) {
            this.script = script;
        }

        @Override
        public int drain(long maxNanos) {
            sliceLimits.add(maxNanos);
            long[] step = script[Math.min(calls, script.length - 1)];
            calls++;
            now += step[0];
            if (calls == pauseAfterCall) {
                running = false;
            }
            return (int) step[1];
        }

        long pace(long maxRun) {
            return SegmentJobs.pace(this, SLICE, 0.25, maxRun, () -> now, nanos -> {
                rests.add(nanos);
                now += nanos;
            }, () -> running);
        }
    }

    @Test
    void restsThreeTimesItsWorkAtAQuarterShare() {
        assertEquals(3 * SECOND, SegmentJobs.restAfter(SECOND, 0.25));
        assertEquals(SECOND, SegmentJobs.restAfter(SECOND, 0.5));
    }

    @Test
    void neverRestsLongerThanThirtySecondsNorAtAFullShare() {
        assertEquals(30 * SECOND, SegmentJobs.restAfter(20 * SECOND, 0.25));
        assertEquals(0, SegmentJobs.restAfter(20 * SECOND, 1));
        assertEquals(0, SegmentJobs.restAfter(20 * SECOND, 0));
    }

    @Test
    void aTimeLimitedDrainSizesItsRoundsToFitWhatIsLeftOfTheSlice() {
        assertEquals(500, SegmentEngine.roundSize(SECOND, 2000, 2 * MS), "1 s at 2 ms a visitor");
        assertEquals(2000, SegmentEngine.roundSize(SECOND, 2000, 0.1 * MS), "never more than the configured round");
        assertEquals(50, SegmentEngine.roundSize(10 * MS, 2000, 2 * MS), "never fewer than 50");
        assertEquals(20, SegmentEngine.roundSize(10 * MS, 20, 2 * MS), "nor more than the configured round");
        assertEquals(2000, SegmentEngine.roundSize(SECOND, 2000, 0), "the configured round while the cost is unknown");
        assertEquals(2000, SegmentEngine.roundSize(Long.MAX_VALUE - 5, 2000, 2 * MS), "an unlimited drain takes full rounds");
    }

    @Test
    void aCostlierRoundIsBelievedAtOnceAndACheaperOneGradually() {
        assertEquals(2.0, SegmentEngine.nextCostPerVisitor(0, 2.0), "the first round sets the estimate");
        assertEquals(3.0, SegmentEngine.nextCostPerVisitor(2.0, 3.0));
        assertEquals(0.7 * 2.0 + 0.3 * 1.0, SegmentEngine.nextCostPerVisitor(2.0, 1.0), 1e-12);
    }

    @Test
    void aBacklogIsWorkedInSlicesWithRestsBetweenThemUntilItIsGone() {
        // four full slices (visitors still waiting), then a short one that empties the queue
        ScriptedDrain drain = new ScriptedDrain(new long[] { 320 * MS, 250 }, new long[] { 320 * MS, 250 },
                new long[] { 320 * MS, 250 }, new long[] { 320 * MS, 250 }, new long[] { 100 * MS, 90 });
        long started = drain.now;
        long restUntil = drain.pace(10 * SECOND);

        assertEquals(5, drain.calls);
        assertEquals(List.of(960 * MS, 960 * MS, 960 * MS, 960 * MS), drain.rests);
        assertTrue(drain.sliceLimits.stream().allMatch(limit -> limit == SLICE), "every slice is limited to the configured length");
        long worked = 4 * 320 * MS + 100 * MS;
        assertEquals(worked, drain.now - started - 4 * 960 * MS, "the clock moved by work and rests only");
        assertEquals(drain.now + 300 * MS, restUntil, "the next run rests three times the last slice");
    }

    @Test
    void anEmptyQueueEndsTheRunWithoutResting() {
        ScriptedDrain drain = new ScriptedDrain(new long[] { 2 * MS, 0 });
        drain.pace(10 * SECOND);
        assertEquals(1, drain.calls);
        assertEquals(List.of(), drain.rests);
    }

    @Test
    void aRunGivesItsThreadBackAfterItsLongestTime() {
        ScriptedDrain drain = new ScriptedDrain(new long[] { 400 * MS, 250 }); // a backlog that never ends
        long started = drain.now;
        long restUntil = drain.pace(10 * SECOND);
        assertTrue(drain.now - started <= 10 * SECOND, "stopped within the run's longest time");
        assertTrue(restUntil - started >= 10 * SECOND - 1600 * MS, "worked and rested for most of it");
        assertEquals(drain.calls - 1, drain.rests.size());
        assertEquals(0.25, (double) drain.calls * 400 * MS / (restUntil - started), 1e-9, "a quarter of the time worked");
    }

    @Test
    void aPausedSchedulerStopsTheRunAfterTheCurrentRest() {
        ScriptedDrain drain = new ScriptedDrain(new long[] { 320 * MS, 250 });
        drain.pauseAfterCall = 2;
        drain.pace(10 * SECOND);
        assertEquals(2, drain.calls, "no slice after the pause");
        assertEquals(1, drain.rests.size());
    }
}

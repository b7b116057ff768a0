package io.segmentpress.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The scheduled drain rests so that draining takes at most its configured share of the time. */
class DrainPacingTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

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
}

package io.segmentpress.brief;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BriefStatusTest {

    @Test
    void followsProposedAcceptedScheduledPublished() {
        assertTrue(BriefStatus.PROPOSED.canMoveTo(BriefStatus.ACCEPTED));
        assertTrue(BriefStatus.ACCEPTED.canMoveTo(BriefStatus.SCHEDULED));
        assertTrue(BriefStatus.SCHEDULED.canMoveTo(BriefStatus.PUBLISHED));
        assertTrue(BriefStatus.PUBLISHED.canMoveTo(BriefStatus.MEASURED));
    }

    @Test
    void refusesSkippingStepsAndLeavingFinalStates() {
        assertFalse(BriefStatus.PROPOSED.canMoveTo(BriefStatus.SCHEDULED));
        assertFalse(BriefStatus.PROPOSED.canMoveTo(BriefStatus.PUBLISHED));
        assertFalse(BriefStatus.ACCEPTED.canMoveTo(BriefStatus.PUBLISHED));
        assertFalse(BriefStatus.PUBLISHED.canMoveTo(BriefStatus.DISMISSED));
        for (BriefStatus target : BriefStatus.values()) {
            assertFalse(BriefStatus.DISMISSED.canMoveTo(target));
            assertFalse(BriefStatus.MEASURED.canMoveTo(target));
        }
    }

    @Test
    void canBeDismissedUntilPublishedAndRescheduled() {
        assertTrue(BriefStatus.PROPOSED.canMoveTo(BriefStatus.DISMISSED));
        assertTrue(BriefStatus.ACCEPTED.canMoveTo(BriefStatus.DISMISSED));
        assertTrue(BriefStatus.SCHEDULED.canMoveTo(BriefStatus.DISMISSED));
        assertTrue(BriefStatus.SCHEDULED.canMoveTo(BriefStatus.SCHEDULED));
    }

    @Test
    void measuredIsNotSettableByCallers() {
        assertFalse(BriefStatus.SETTABLE.contains(BriefStatus.MEASURED));
        assertFalse(BriefStatus.SETTABLE.contains(BriefStatus.PROPOSED));
        assertEquals(BriefStatus.SCHEDULED, BriefStatus.fromApiName("scheduled"));
        assertEquals(null, BriefStatus.fromApiName("SCHEDULED"));
    }
}

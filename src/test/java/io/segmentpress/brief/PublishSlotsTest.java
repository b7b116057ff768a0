package io.segmentpress.brief;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

class PublishSlotsTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void picksTheBusiestHourOfTheWeek() {
        long[] histogram = new long[168];
        histogram[PublishSlots.hourOfWeek(ZonedDateTime.of(2026, 11, 26, 20, 0, 0, 0, BERLIN))] = 40; // Thursday 20:00
        histogram[PublishSlots.hourOfWeek(ZonedDateTime.of(2026, 11, 23, 8, 0, 0, 0, BERLIN))] = 39; // Monday 08:00
        assertEquals(3 * 24 + 20, PublishSlots.peakHour(histogram));
    }

    @Test
    void withoutActivityFallsBackToTuesdayMorning() {
        assertEquals(24 + 9, PublishSlots.peakHour(null));
        assertEquals(24 + 9, PublishSlots.peakHour(new long[168]));
    }

    @Test
    void nextSlotIsTheNextStartOfThatLocalHour() {
        Instant earliest = ZonedDateTime.of(2026, 11, 29, 15, 10, 0, 0, BERLIN).toInstant(); // Sunday
        Instant slot = PublishSlots.next(3 * 24 + 20, BERLIN, earliest);
        assertEquals(ZonedDateTime.of(2026, 12, 3, 20, 0, 0, 0, BERLIN).toInstant(), slot);
    }

    @Test
    void nextSlotHonoursDaylightSavingTime() {
        // Sunday 29 March 2026 is the spring change in Berlin: 09:00 local is 07:00 UTC afterwards.
        Instant earliest = ZonedDateTime.of(2026, 3, 27, 12, 0, 0, 0, BERLIN).toInstant();
        Instant slot = PublishSlots.next(6 * 24 + 9, BERLIN, earliest);
        assertEquals(Instant.parse("2026-03-29T07:00:00Z"), slot);
    }
}

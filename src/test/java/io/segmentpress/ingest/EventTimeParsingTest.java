package io.segmentpress.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Event timestamps are read by a hand-written parser for the usual shape; it must accept and
 * refuse exactly what the ISO formatter does, to the nanosecond, also for impossible dates.
 */
class EventTimeParsingTest {

    @Test
    void agreesWithTheIsoFormatterOnRandomTimestamps() {
        Random random = new Random(20261129);
        int parsedByFastPath = 0;
        for (int i = 0; i < 200_000; i++) {
            String text = randomTimestamp(random);
            Instant expected = EventValidator.parseWithFormatter(text);
            assertEquals(expected, EventValidator.parseTime(text), text);
            if (EventValidator.parseCommonShape(text) != null) {
                parsedByFastPath++;
            }
        }
        // the comparison above must mostly exercise the hand-written path, not the fallback
        assertTrue(parsedByFastPath > 50_000, "fast path used " + parsedByFastPath + " times");
    }

    @Test
    void readsTheShapesSendersUse() {
        assertEquals(Instant.parse("2026-05-01T12:00:00Z"), EventValidator.parseCommonShape("2026-05-01T12:00:00Z"));
        assertEquals(Instant.parse("2026-05-01T12:00:00.123Z"), EventValidator.parseCommonShape("2026-05-01T12:00:00.123Z"));
        assertEquals(Instant.parse("2026-05-01T10:00:00.000000001Z"), EventValidator.parseCommonShape("2026-05-01T12:00:00.000000001+02:00"));
        assertEquals(Instant.parse("2026-05-01T17:30:00Z"), EventValidator.parseCommonShape("2026-05-01T12:00:00-05:30"));
        assertNotNull(EventValidator.parseTime("2024-02-29T00:00:00Z"));
        assertEquals(null, EventValidator.parseTime("2025-02-29T00:00:00Z"));
        assertEquals(null, EventValidator.parseTime("2026-13-01T00:00:00Z"));
        assertEquals(null, EventValidator.parseTime("2026-05-01T25:00:00Z"));
        assertEquals(null, EventValidator.parseTime("2026-05-01 12:00:00Z"));
    }

    private static String randomTimestamp(Random random) {
        int year = random.nextInt(10) == 0 ? random.nextInt(10_000) : 1990 + random.nextInt(60);
        int month = random.nextInt(10) == 0 ? random.nextInt(14) : 1 + random.nextInt(12);
        int day = random.nextInt(10) == 0 ? random.nextInt(33) : 1 + random.nextInt(31);
        int hour = random.nextInt(20) == 0 ? 24 + random.nextInt(3) : random.nextInt(24);
        int minute = random.nextInt(20) == 0 ? 60 : random.nextInt(60);
        int second = random.nextInt(20) == 0 ? 60 + random.nextInt(2) : random.nextInt(60);
        StringBuilder text = new StringBuilder(String.format("%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute, second));
        switch (random.nextInt(4)) {
            case 0 -> { }
            case 1 -> text.append('.').append(String.valueOf(random.nextInt(1000)));
            case 2 -> {
                int digits = random.nextInt(11);
                text.append('.');
                for (int d = 0; d < digits; d++) {
                    text.append((char) ('0' + random.nextInt(10)));
                }
            }
            default -> text.append('.').append(String.format("%03d", random.nextInt(1000)));
        }
        switch (random.nextInt(6)) {
            case 0, 1, 2 -> text.append('Z');
            case 3 -> text.append(String.format("%c%02d:%02d", random.nextBoolean() ? '+' : '-', random.nextInt(20), random.nextInt(62)));
            case 4 -> text.append(random.nextBoolean() ? "z" : "+0200");
            default -> { }
        }
        if (random.nextInt(50) == 0) {
            int at = random.nextInt(text.length());
            text.setCharAt(at, "x-:T. 9".charAt(random.nextInt(7)));
        }
        return text.toString();
    }
}

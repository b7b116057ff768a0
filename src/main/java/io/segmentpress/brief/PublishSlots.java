package io.segmentpress.brief;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/** Picks when to publish: the start of the hour of the week in which a segment reads most. */
final class PublishSlots {

    static final int HOURS_PER_WEEK = 168;
    /** Without any activity: Tuesday 09:00 local, a conventional editorial slot. */
    private static final int DEFAULT_HOUR_OF_WEEK = 24 + 9;

    private PublishSlots() {
    }

    /** Monday 00:00–00:59 is 0, Sunday 23:00–23:59 is 167. */
    static int hourOfWeek(ZonedDateTime local) {
        return (local.getDayOfWeek().getValue() - 1) * 24 + local.getHour();
    }

    /** The busiest hour of the week in {@code histogram}; ties go to the earliest hour. */
    static int peakHour(long[] histogram) {
        if (histogram == null) {
            return DEFAULT_HOUR_OF_WEEK;
        }
        int peak = -1;
        long best = 0;
        for (int hour = 0; hour < histogram.length; hour++) {
            if (histogram[hour] > best) {
                best = histogram[hour];
                peak = hour;
            }
        }
        return peak < 0 ? DEFAULT_HOUR_OF_WEEK : peak;
    }

    /** The first start of {@code hourOfWeek} (local time in {@code zone}) at or after {@code earliest}. */
    static Instant next(int hourOfWeek, ZoneId zone, Instant earliest) {
        ZonedDateTime candidate = earliest.atZone(zone).truncatedTo(ChronoUnit.HOURS);
        if (candidate.toInstant().isBefore(earliest)) {
            candidate = candidate.plusHours(1);
        }
        DayOfWeek day = DayOfWeek.of(hourOfWeek / 24 + 1);
        int hour = hourOfWeek % 24;
        for (int i = 0; i < 8 * 24 + 2; i++) {
            if (candidate.getDayOfWeek() == day && candidate.getHour() == hour) {
                return candidate.toInstant();
            }
            candidate = candidate.plusHours(1);
        }
        // Only reachable when the hour does not exist that week (a DST gap): take the next hour.
        return earliest.atZone(zone).with(day).withHour(hour).truncatedTo(ChronoUnit.HOURS).plusWeeks(1).toInstant();
    }
}

package io.segmentpress.segment;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * "Now" and calendar days in a site's time zone. Windows such as "the last 30 days" are whole
 * calendar days: today and the 29 days before it.
 */
record SiteTime(Instant now, ZoneId zone, ZoneRules rules, long today) {

    static SiteTime of(Instant now, ZoneId zone) {
        ZoneRules rules = zone.getRules();
        return new SiteTime(now, zone, rules, dayOf(rules, now.toEpochMilli()));
    }

    /** The calendar day (epoch day in the site's zone) an instant falls on. */
    long day(long epochMillis) {
        return dayOf(rules, epochMillis);
    }

    /** Whether an instant falls on one of the last {@code days} calendar days (today included). */
    boolean within(long epochMillis, int days) {
        return day(epochMillis) > today - days;
    }

    long daysAgo(long epochMillis) {
        return today - day(epochMillis);
    }

    LocalDate date(long epochDay) {
        return LocalDate.ofEpochDay(epochDay);
    }

    private static long dayOf(ZoneRules rules, long epochMillis) {
        int offsetSeconds = rules.isFixedOffset() ? rules.getOffset(Instant.EPOCH).getTotalSeconds()
                : rules.getOffset(Instant.ofEpochMilli(epochMillis)).getTotalSeconds();
        return Math.floorDiv(epochMillis + offsetSeconds * 1000L, 86_400_000L);
    }
}

package io.segmentpress.segment.rule;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * A {@code within} window: an ISO-8601 period counted back from "now" in the site's time zone
 * ({@code P30D}, {@code P1M}, {@code PT12H}, {@code P1DT12H}). Calendar parts (years, months,
 * weeks, days) follow the site's calendar, so {@code P1D} across a daylight-saving change is one
 * calendar day; time parts are exact durations.
 */
public record Window(String text, Period period, Duration duration) {

    /** Windows longer than this make no sense: events are kept for at most about 400 days. */
    static final Duration LONGEST = Duration.ofDays(3660);
    private static final Pattern SHAPE = Pattern.compile("P(?:\\d+Y)?(?:\\d+M)?(?:\\d+W)?(?:\\d+D)?(?:T(?:\\d+H)?(?:\\d+M)?(?:\\d+(?:\\.\\d+)?S)?)?");

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with a message for the caller when it is not a usable period
     */
    public static Window parse(String text) {
        if (text == null || !SHAPE.matcher(text).matches() || text.equals("P") || text.endsWith("T")) {
            throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 period (e.g. P30D, P1M, PT12H)");
        }
        int t = text.indexOf('T');
        String datePart = t < 0 ? text : text.substring(0, t);
        String timePart = t < 0 ? null : "P" + text.substring(t);
        try {
            Period period = datePart.equals("P") ? Period.ZERO : Period.parse(datePart);
            Duration duration = timePart == null ? Duration.ZERO : Duration.parse(timePart);
            Duration approximate = Duration.ofDays(period.toTotalMonths() * 31 + period.getDays()).plus(duration);
            if (approximate.isZero()) {
                throw new IllegalArgumentException("'" + text + "' is an empty period; use at least PT1S");
            }
            if (approximate.compareTo(LONGEST) > 0) {
                throw new IllegalArgumentException("'" + text + "' is longer than 10 years");
            }
            return new Window(text, period, duration);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 period (e.g. P30D, P1M, PT12H)");
        }
    }

    /** The first instant inside the window ending at {@code now}. */
    public Instant cutoff(Instant now, ZoneId zone) {
        try {
            return now.atZone(zone).minus(period).toInstant().minus(duration);
        } catch (DateTimeException e) {
            return Instant.EPOCH;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}

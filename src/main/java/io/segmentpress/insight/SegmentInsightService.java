package io.segmentpress.insight;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.segmentpress.common.error.ApiException;
import io.segmentpress.common.error.Violations;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.insight.SegmentInsightApi.DailySize;
import io.segmentpress.insight.SegmentInsightApi.JourneyFlow;
import io.segmentpress.insight.SegmentInsightApi.SegmentSeries;
import io.segmentpress.insight.SegmentInsightApi.SegmentSizes;
import io.segmentpress.insight.SegmentInsightApi.StageMove;
import io.segmentpress.site.Site;

/**
 * Segment sizes over time and journey stage flow, both read from {@code segment_transition}
 * (every entry and exit the engine recorded).
 */
@ApplicationScoped
public class SegmentInsightService {

    static final int MAX_DAYS = 400;
    static final int DEFAULT_DAYS = 30;
    /** Transitions are summed per quarter hour in SQL, then placed on local days (every zone offset is a multiple of 15 minutes). */
    private static final int BUCKET_SECONDS = 900;

    @Inject
    DataSource dataSource;

    @Inject
    AppClock clock;

    private record Period(LocalDate from, LocalDate to, ZoneId zone) {
        Instant start() {
            return from.atStartOfDay(zone).toInstant();
        }

        Instant end() {
            return to.plusDays(1).atStartOfDay(zone).toInstant();
        }
    }

    /**
     * The size of every segment at the end of each day from {@code from} to {@code to} (dates in
     * the site's zone, inclusive; default the last 30 days), with that day's entries and exits.
     * Sizes are worked back from today's membership, so they need only the period's transitions.
     */
    public SegmentSizes segmentSizes(long siteId, String from, String to) {
        Period period = period(siteId, from, to);
        try (Connection connection = dataSource.getConnection()) {
            Map<String, Long> current = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT segment_key, COUNT(*) FROM segment_membership WHERE site_id = ? GROUP BY segment_key")) {
                statement.setLong(1, siteId);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        current.put(rows.getString(1), rows.getLong(2));
                    }
                }
            }
            // key -> day -> {entered, exited}; days after the period are kept as one bucket to work back from today
            Map<String, TreeMap<LocalDate, long[]>> changes = new TreeMap<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT segment_key, entered, FLOOR(UNIX_TIMESTAMP(at) / " + BUCKET_SECONDS + ") AS bucket, COUNT(*) "
                            + "FROM segment_transition WHERE site_id = ? AND at >= ? GROUP BY segment_key, entered, bucket")) {
                statement.setLong(1, siteId);
                statement.setTimestamp(2, Timestamp.from(period.start()));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        LocalDate day = LocalDate.ofInstant(Instant.ofEpochSecond(rows.getLong(3) * BUCKET_SECONDS), period.zone());
                        long[] counts = changes.computeIfAbsent(rows.getString(1), k -> new TreeMap<>()).computeIfAbsent(day, d -> new long[2]);
                        counts[rows.getBoolean(2) ? 0 : 1] += rows.getLong(4);
                    }
                }
            }
            TreeSet<String> keys = new TreeSet<>(current.keySet());
            keys.addAll(changes.keySet());
            List<SegmentSeries> series = new ArrayList<>();
            for (String key : keys) {
                series.add(series(key, current.getOrDefault(key, 0L), changes.getOrDefault(key, new TreeMap<>()), period));
            }
            return new SegmentSizes(period.from(), period.to(), period.zone().getId(), series);
        } catch (SQLException e) {
            throw new IllegalStateException("segment sizes could not be read", e);
        }
    }

    private static SegmentSeries series(String key, long currentSize, TreeMap<LocalDate, long[]> changes, Period period) {
        long size = currentSize;
        for (Map.Entry<LocalDate, long[]> later : changes.tailMap(period.to(), false).entrySet()) {
            size -= later.getValue()[0] - later.getValue()[1];
        }
        List<DailySize> days = new ArrayList<>();
        for (LocalDate day = period.to(); !day.isBefore(period.from()); day = day.minusDays(1)) {
            long[] counts = changes.getOrDefault(day, new long[2]);
            days.add(new DailySize(day, size, counts[0], counts[1]));
            size -= counts[0] - counts[1];
        }
        days.sort(Comparator.comparing(DailySize::date));
        return new SegmentSeries(key, days);
    }

    /**
     * Stage changes in the period: each exit from one stage paired with the entry into the next
     * that the same recompute wrote for the visitor.
     */
    public JourneyFlow journey(long siteId, String from, String to) {
        Period period = period(siteId, from, to);
        Map<String, String[]> changes = new HashMap<>(); // visitor@time -> {left, entered}
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT visitor_id, at, segment_key, entered "
                        + "FROM segment_transition WHERE site_id = ? AND segment_key LIKE 'stage:%' AND at >= ? AND at < ?")) {
            statement.setLong(1, siteId);
            statement.setTimestamp(2, Timestamp.from(period.start()));
            statement.setTimestamp(3, Timestamp.from(period.end()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String[] change = changes.computeIfAbsent(rows.getLong(1) + "@" + rows.getTimestamp(2).getTime(), k -> new String[2]);
                    change[rows.getBoolean(4) ? 1 : 0] = rows.getString(3);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("journey could not be read", e);
        }
        Map<List<String>, Long> counts = new HashMap<>();
        for (String[] change : changes.values()) {
            if (!Objects.equals(change[0], change[1])) {
                counts.merge(java.util.Arrays.asList(change[0], change[1]), 1L, Long::sum);
            }
        }
        List<StageMove> moves = new ArrayList<>();
        counts.forEach((pair, visitors) -> moves.add(new StageMove(pair.get(0), pair.get(1), visitors)));
        moves.sort(Comparator.comparingLong(StageMove::visitors).reversed()
                .thenComparing(move -> String.valueOf(move.from())).thenComparing(move -> String.valueOf(move.to())));
        return new JourneyFlow(period.from(), period.to(), period.zone().getId(), moves);
    }

    private Period period(long siteId, String from, String to) {
        Site site = Site.findById(siteId);
        if (site == null) {
            throw ApiException.unauthorized("The key's site no longer exists");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(site.timezone);
        } catch (DateTimeException e) {
            zone = ZoneId.of("UTC");
        }
        LocalDate today = LocalDate.ofInstant(clock.now(), zone);
        Violations violations = new Violations();
        LocalDate end = parse(to, "to", today, violations);
        LocalDate start = parse(from, "from", end == null ? null : end.minusDays(DEFAULT_DAYS - 1), violations);
        violations.throwIfAny();
        violations.check(!start.isAfter(end), "from", "must not be after to");
        violations.check(ChronoUnit.DAYS.between(start, end) < MAX_DAYS, "from", "the period may span at most " + MAX_DAYS + " days");
        violations.throwIfAny();
        return new Period(start, end, zone);
    }

    private static LocalDate parse(String value, String field, LocalDate fallback, Violations violations) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value.length() > 10 ? value.substring(0, 10) : value);
        } catch (DateTimeParseException e) {
            violations.add(field, "must be a date such as 2026-01-31");
            return null;
        }
    }
}

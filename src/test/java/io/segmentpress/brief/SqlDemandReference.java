package io.segmentpress.brief;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.segmentpress.brief.SiteDemand.ReadStats;
import io.segmentpress.brief.SiteDemand.SearchStats;

/**
 * The window's demand computed the plain way: every figure grouped in SQL over the reads and
 * searches joined with segment membership. Slow on large sites, but obviously right; the test
 * for {@link DemandFold} compares the one-pass loading against it.
 */
final class SqlDemandReference {

    /**
     * Forced onto the (site, visitor, time) index, which covers it: answering a search looks up one
     * visitor's reads, and with statistics not yet refreshed after the test's bulk insert the
     * optimizer would otherwise scan the whole site's reads for every search.
     */
    private static final String READS = """
            SELECT visitor_id, occurred_at, post_id, engaged_seconds, scroll_depth
            FROM event FORCE INDEX (ix_event_engine) WHERE site_id = ? AND name = 'Content Engaged' AND occurred_at >= ? AND post_id IS NOT NULL""";
    private static final String SEARCHES = """
            SELECT visitor_id, occurred_at, LOWER(TRIM(search_query)) AS q
            FROM event WHERE site_id = ? AND name = 'Products Searched' AND occurred_at >= ?
              AND search_query IS NOT NULL AND TRIM(search_query) <> ''""";
    /** Per search, the post of the searcher's first read within the answer window (tests keep read times distinct per visitor). */
    private static final String ANSWERED_SEARCHES = """
            SELECT s.visitor_id, s.q,
                   (SELECT r.post_id FROM (%s) r WHERE r.visitor_id = s.visitor_id AND r.occurred_at >= s.occurred_at
                      AND r.occurred_at <= s.occurred_at + INTERVAL ? SECOND ORDER BY r.occurred_at LIMIT 1) AS led_to
            FROM (%s) s""".formatted(READS, SEARCHES);

    private final Connection connection;
    private final long siteId;
    private final Timestamp from;
    private final String segmentFilter;
    private final String onlySegment;

    SqlDemandReference(Connection connection, long siteId, Instant windowStart, String onlySegment) {
        this.connection = connection;
        this.siteId = siteId;
        this.from = Timestamp.from(windowStart);
        this.onlySegment = onlySegment;
        this.segmentFilter = onlySegment == null ? "" : "AND m.segment_key = ?";
    }

    Map<Long, ReadStats> siteReads() throws SQLException {
        Map<Long, ReadStats> reads = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT r.post_id, COUNT(*), COALESCE(SUM(r.engaged_seconds), 0), COALESCE(SUM(r.scroll_depth >= 75), 0)
                FROM (%s) r GROUP BY r.post_id""".formatted(READS))) {
            statement.setLong(1, siteId);
            statement.setTimestamp(2, from);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    reads.put(rs.getLong(1), new ReadStats(rs.getInt(2), rs.getLong(3), rs.getInt(4)));
                }
            }
        }
        return reads;
    }

    Map<String, Map<Long, ReadStats>> segmentReads() throws SQLException {
        Map<String, Map<Long, ReadStats>> reads = new HashMap<>();
        try (PreparedStatement statement = bySegment("""
                SELECT m.segment_key, r.post_id, COUNT(*), COALESCE(SUM(r.engaged_seconds), 0), COALESCE(SUM(r.scroll_depth >= 75), 0)
                FROM (%s) r JOIN segment_membership m ON m.visitor_id = r.visitor_id AND m.site_id = ? %s
                GROUP BY m.segment_key, r.post_id""".formatted(READS, segmentFilter), true); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                reads.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getLong(2), new ReadStats(rs.getInt(3), rs.getLong(4),
                        rs.getInt(5)));
            }
        }
        return reads;
    }

    /** Reads per segment and hour of the week in {@code zone}, each read's local hour taken from its UTC instant. */
    Map<String, long[]> segmentActivity(ZoneId zone) throws SQLException {
        Map<String, long[]> activity = new HashMap<>();
        try (PreparedStatement statement = bySegment("""
                SELECT m.segment_key, r.occurred_at
                FROM (%s) r JOIN segment_membership m ON m.visitor_id = r.visitor_id AND m.site_id = ? %s""".formatted(READS, segmentFilter), true);
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                ZonedDateTime local = rs.getTimestamp(2).toInstant().atZone(zone);
                activity.computeIfAbsent(rs.getString(1), k -> new long[PublishSlots.HOURS_PER_WEEK])[PublishSlots.hourOfWeek(local)]++;
            }
        }
        return activity;
    }

    Map<String, List<SearchStats>> segmentSearches(Duration answeredWithin) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TEMPORARY TABLE IF EXISTS reference_searches");
            statement.execute("CREATE TEMPORARY TABLE reference_searches (visitor_id BIGINT NOT NULL, "
                    + "q VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, led_to BIGINT NULL)");
        }
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO reference_searches " + ANSWERED_SEARCHES)) {
            statement.setLong(1, siteId);
            statement.setTimestamp(2, from);
            statement.setLong(3, answeredWithin.toSeconds());
            statement.setLong(4, siteId);
            statement.setTimestamp(5, from);
            statement.executeUpdate();
        }
        Map<String, Map<Long, Integer>> ledTo = new HashMap<>();
        try (PreparedStatement statement = bySegment("""
                SELECT m.segment_key, s.q, s.led_to, COUNT(*)
                FROM reference_searches s JOIN segment_membership m ON m.visitor_id = s.visitor_id AND m.site_id = ? %s
                WHERE s.led_to IS NOT NULL GROUP BY m.segment_key, s.q, s.led_to""".formatted(segmentFilter), false);
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                ledTo.computeIfAbsent(rs.getString(1) + "\n" + rs.getString(2), k -> new HashMap<>()).put(rs.getLong(3), rs.getInt(4));
            }
        }
        Map<String, List<SearchStats>> searches = new HashMap<>();
        try (PreparedStatement statement = bySegment("""
                SELECT m.segment_key, s.q, COUNT(*), COUNT(DISTINCT s.visitor_id), SUM(s.led_to IS NULL),
                       COUNT(DISTINCT CASE WHEN s.led_to IS NULL THEN s.visitor_id END)
                FROM reference_searches s JOIN segment_membership m ON m.visitor_id = s.visitor_id AND m.site_id = ? %s
                GROUP BY m.segment_key, s.q ORDER BY s.q""".formatted(segmentFilter), false); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                searches.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new SearchStats(rs.getString(2), rs.getInt(3),
                        rs.getInt(4), rs.getInt(5), rs.getInt(6), ledTo.getOrDefault(rs.getString(1) + "\n" + rs.getString(2), Map.of())));
            }
        }
        return searches;
    }

    /** Per segment, in key order: size, revenue, orders, stage mix and members of 14+ days, as one grouped join. */
    List<List<Object>> segments(Instant now) throws SQLException {
        Map<String, List<Object>> rows = new java.util.LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT m.segment_key, COALESCE(p.stage, 'stage:awareness'), COUNT(*), COALESCE(SUM(p.revenue), 0),
                       COALESCE(SUM(p.orders), 0), SUM(m.since <= ? OR p.first_seen <= ?)
                FROM segment_membership m LEFT JOIN visitor_profile p ON p.visitor_id = m.visitor_id
                WHERE m.site_id = ? GROUP BY m.segment_key, COALESCE(p.stage, 'stage:awareness') ORDER BY m.segment_key""")) {
            Timestamp twoWeeksAgo = Timestamp.from(now.minus(Duration.ofDays(14)));
            statement.setTimestamp(1, twoWeeksAgo);
            statement.setTimestamp(2, twoWeeksAgo);
            statement.setLong(3, siteId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    List<Object> row = rows.computeIfAbsent(rs.getString(1),
                            key -> new ArrayList<>(List.of(key, 0, java.math.BigDecimal.ZERO, 0, new HashMap<String, Integer>(), 0)));
                    row.set(1, (Integer) row.get(1) + rs.getInt(3));
                    row.set(2, ((java.math.BigDecimal) row.get(2)).add(rs.getBigDecimal(4)));
                    row.set(3, (Integer) row.get(3) + rs.getInt(5));
                    @SuppressWarnings("unchecked")
                    Map<String, Integer> stages = (Map<String, Integer>) row.get(4);
                    stages.put(rs.getString(2), rs.getInt(3));
                    row.set(5, (Integer) row.get(5) + rs.getInt(6));
                }
            }
        }
        return new ArrayList<>(rows.values());
    }

    /** A statement joining membership to the window's reads ({@code overReads}) or to the searches table. */
    private PreparedStatement bySegment(String sql, boolean overReads) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        int index = 1;
        if (overReads) {
            statement.setLong(index++, siteId);
            statement.setTimestamp(index++, from);
        }
        statement.setLong(index++, siteId);
        if (onlySegment != null) {
            statement.setString(index, onlySegment);
        }
        return statement;
    }
}

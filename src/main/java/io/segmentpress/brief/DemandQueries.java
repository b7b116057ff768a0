package io.segmentpress.brief;

import java.math.BigDecimal;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.segmentpress.brief.BriefApi.Topic;
import io.segmentpress.brief.SiteDemand.Post;
import io.segmentpress.brief.SiteDemand.ReadStats;
import io.segmentpress.brief.SiteDemand.SearchStats;
import io.segmentpress.brief.SiteDemand.SegmentStats;

/**
 * Loads a {@link SiteDemand} with set-based SQL: one range scan of the window's reads into a compact
 * temporary table and one of its searches, each joined to segment membership and grouped in the
 * database, so what reaches Java grows with the number of (segment, post) pairs, not with events.
 */
@ApplicationScoped
public class DemandQueries {

    static final String CONTENT_ENGAGED = "Content Engaged";
    static final String PRODUCTS_SEARCHED = "Products Searched";
    /** A read counts as completed at this scroll depth. */
    static final int COMPLETED_SCROLL_DEPTH = 75;
    /** Hours since this instant number the activity buckets; any fixed UTC origin works. */
    private static final Instant HOUR_ORIGIN = Instant.parse("2000-01-01T00:00:00Z");

    @Inject
    DataSource dataSource;

    @Inject
    BriefsConfig config;

    /**
     * Everything generation needs about {@code siteId} as of {@code now}; empty when the site does
     * not exist. With {@code onlySegment}, demand is loaded for that segment only (the site-wide
     * baseline is always loaded).
     */
    public Optional<SiteDemand> load(long siteId, Instant now, String onlySegment) {
        Instant windowStart = now.minus(config.window());
        try (Connection connection = dataSource.getConnection()) {
            String[] site = site(connection, siteId);
            if (site == null) {
                return Optional.empty();
            }
            Map<Long, Post> posts = posts(connection, siteId);
            Map<String, String> categoryNames = new HashMap<>();
            posts.values().forEach(p -> p.terms().stream().filter(t -> t.taxonomy().equals("category"))
                    .forEach(t -> categoryNames.put(t.slug(), t.name())));
            Object[] siteTotals = siteTotals(connection, siteId);
            Map<String, SegmentStats> segments = segments(connection, siteId, now, categoryNames);
            // The window's reads are needed three times (per post, per segment and post, per segment and hour): copy the
            // few columns once into a compact temporary table instead of reading the wide event rows three times.
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP TEMPORARY TABLE IF EXISTS brief_window_reads");
                statement.execute("""
                        CREATE TEMPORARY TABLE brief_window_reads (
                          visitor_id BIGINT NOT NULL, occurred_at DATETIME(3) NOT NULL, post_id BIGINT NOT NULL, engaged_seconds INT NULL,
                          scroll_depth SMALLINT NULL, hour_bucket INT NOT NULL, KEY ix_reads_visitor_time (visitor_id, occurred_at))""");
            }
            try {
                copyReads(connection, siteId, windowStart);
                Map<String, List<SearchStats>> searches = searches(connection, siteId, windowStart, onlySegment);
                return Optional.of(new SiteDemand(siteId, ZoneId.of(site[0]), site[1], now, windowStart,
                        (Integer) siteTotals[0], (BigDecimal) siteTotals[1],
                        segments,
                        posts,
                        segmentReads(connection, siteId, onlySegment),
                        siteReads(connection),
                        searches,
                        activity(connection, siteId, ZoneId.of(site[0]), onlySegment)));
            } finally {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("DROP TEMPORARY TABLE IF EXISTS brief_window_reads");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not load brief demand for site " + siteId, e);
        }
    }

    private static String[] site(Connection connection, long siteId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT timezone, currency FROM site WHERE id = ?")) {
            statement.setLong(1, siteId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? new String[] { rs.getString(1), rs.getString(2) } : null;
            }
        }
    }

    private static Object[] siteTotals(Connection connection, long siteId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT COUNT(*), COALESCE(SUM(revenue), 0) FROM visitor_profile WHERE site_id = ?")) {
            statement.setLong(1, siteId);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return new Object[] { rs.getInt(1), rs.getBigDecimal(2) };
            }
        }
    }

    private Map<String, SegmentStats> segments(Connection connection, long siteId, Instant now, Map<String, String> categoryNames)
            throws SQLException {
        Map<String, String> customNames = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT segment_key, name FROM custom_segment WHERE site_id = ?")) {
            statement.setLong(1, siteId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    customNames.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        record Row(int size, BigDecimal revenue, int orders, int longMembers, Map<String, Integer> stages) {
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        String sql = """
                SELECT m.segment_key, COALESCE(p.stage, 'stage:awareness'), COUNT(*), COALESCE(SUM(p.revenue), 0),
                       COALESCE(SUM(p.orders), 0), SUM(m.since <= ? OR p.first_seen <= ?)
                FROM segment_membership m
                LEFT JOIN visitor_profile p ON p.visitor_id = m.visitor_id
                WHERE m.site_id = ?
                GROUP BY m.segment_key, COALESCE(p.stage, 'stage:awareness')""";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            Timestamp twoWeeksAgo = Timestamp.from(now.minus(Duration.ofDays(14)));
            statement.setTimestamp(1, twoWeeksAgo);
            statement.setTimestamp(2, twoWeeksAgo);
            statement.setLong(3, siteId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1);
                    Row row = rows.computeIfAbsent(key, k -> new Row(0, BigDecimal.ZERO, 0, 0, new HashMap<>()));
                    row.stages().merge(rs.getString(2), rs.getInt(3), Integer::sum);
                    rows.put(key, new Row(row.size() + rs.getInt(3), row.revenue().add(rs.getBigDecimal(4)),
                            row.orders() + rs.getInt(5), row.longMembers() + rs.getInt(6), row.stages()));
                }
            }
        }
        Map<String, SegmentStats> segments = new LinkedHashMap<>();
        rows.forEach((key, row) -> segments.put(key, new SegmentStats(key, SegmentNames.of(key, customNames, categoryNames),
                row.size(), row.revenue(), row.orders(), Map.copyOf(row.stages()), row.longMembers())));
        return segments;
    }

    private static Map<Long, Post> posts(Connection connection, long siteId) throws SQLException {
        Map<Long, List<Topic>> terms = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT content_id, taxonomy, slug, name FROM content_term WHERE site_id = ? ORDER BY content_id, taxonomy, slug")) {
            statement.setLong(1, siteId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    terms.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>()).add(new Topic(rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        Map<Long, Post> posts = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT content_id, title, url, type, published_at, modified_at, journey_stage, word_count
                FROM content_item WHERE site_id = ? AND status IN ('publish', 'published')""")) {
            statement.setLong(1, siteId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    Integer words = rs.getObject(8) == null ? null : rs.getInt(8);
                    posts.put(id, new Post(id, rs.getString(2), rs.getString(3), rs.getString(4), instant(rs.getTimestamp(5)),
                            instant(rs.getTimestamp(6)), rs.getString(7), words, List.copyOf(terms.getOrDefault(id, List.of()))));
                }
            }
        }
        return posts;
    }

    /**
     * One pass over the site's events into {@code brief_window_reads}: the window's {@code Content
     * Engaged} events, in (visitor, time) order. The segment engine's index ix_event_engine (002-segments)
     * covers every column read here, so the pass is one ordered index scan, like the engine's own;
     * without the hint the optimizer picks the time index and looks up every row in the table.
     */
    private static void copyReads(Connection connection, long siteId, Instant from) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO brief_window_reads (visitor_id, occurred_at, post_id, engaged_seconds, scroll_depth, hour_bucket)
                SELECT e.visitor_id, e.occurred_at, e.post_id, e.engaged_seconds, e.scroll_depth,
                       TIMESTAMPDIFF(HOUR, '2000-01-01 00:00:00', e.occurred_at)
                FROM event e FORCE INDEX (ix_event_engine)
                WHERE e.site_id = ? AND e.name = ? AND e.occurred_at >= ? AND e.post_id IS NOT NULL""")) {
            statement.setLong(1, siteId);
            statement.setString(2, CONTENT_ENGAGED);
            statement.setTimestamp(3, Timestamp.from(from));
            statement.executeUpdate();
        }
    }

    /**
     * Reads per segment and post. STRAIGHT_JOIN keeps the scan on the compact reads table with a
     * covering membership look-up per row; led by membership, the optimizer would fetch every read
     * through the reads table's secondary index one row at a time.
     */
    private static Map<String, Map<Long, ReadStats>> segmentReads(Connection connection, long siteId, String onlySegment) throws SQLException {
        String sql = """
                SELECT m.segment_key, r.post_id, COUNT(*), COALESCE(SUM(r.engaged_seconds), 0), SUM(r.scroll_depth >= %d)
                FROM brief_window_reads r
                STRAIGHT_JOIN segment_membership m ON m.visitor_id = r.visitor_id AND m.site_id = ? %s
                GROUP BY m.segment_key, r.post_id""".formatted(COMPLETED_SCROLL_DEPTH, onlySegment == null ? "" : "AND m.segment_key = ?");
        Map<String, Map<Long, ReadStats>> reads = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, siteId);
            if (onlySegment != null) {
                statement.setString(2, onlySegment);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    reads.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                            .put(rs.getLong(2), new ReadStats(rs.getInt(3), rs.getLong(4), rs.getInt(5)));
                }
            }
        }
        return reads;
    }

    private static Map<Long, ReadStats> siteReads(Connection connection) throws SQLException {
        String sql = """
                SELECT r.post_id, COUNT(*), COALESCE(SUM(r.engaged_seconds), 0), SUM(r.scroll_depth >= %d)
                FROM brief_window_reads r
                GROUP BY r.post_id""".formatted(COMPLETED_SCROLL_DEPTH);
        Map<Long, ReadStats> reads = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                reads.put(rs.getLong(1), new ReadStats(rs.getInt(2), rs.getLong(3), rs.getInt(4)));
            }
        }
        return reads;
    }

    /**
     * Searches per segment and normalized query. For each search, the first piece the searcher read
     * (a {@code Content Engaged} event) within the answer window says whether the search led
     * anywhere, and where; looked up in the compact {@code brief_window_reads}, not in the event table.
     */
    private Map<String, List<SearchStats>> searches(Connection connection, long siteId, Instant from, String onlySegment)
            throws SQLException {
        // Each search is looked at once (not once per segment of its searcher): into a temporary table first.
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TEMPORARY TABLE IF EXISTS brief_window_searches");
            statement.execute("CREATE TEMPORARY TABLE brief_window_searches (visitor_id BIGINT NOT NULL, q VARCHAR(200) NOT NULL, led_to BIGINT NULL)");
        }
        try {
            try (PreparedStatement statement = connection.prepareStatement("""
                    INSERT INTO brief_window_searches (visitor_id, q, led_to)
                    SELECT e.visitor_id, LOWER(TRIM(e.search_query)),
                           (SELECT r.post_id FROM brief_window_reads r
                            WHERE r.visitor_id = e.visitor_id AND r.occurred_at >= e.occurred_at
                              AND r.occurred_at <= e.occurred_at + INTERVAL ? SECOND
                            ORDER BY r.occurred_at LIMIT 1)
                    FROM event e
                    WHERE e.site_id = ? AND e.name = ? AND e.occurred_at >= ? AND e.search_query IS NOT NULL AND TRIM(e.search_query) <> ''""")) {
                statement.setLong(1, config.searchAnsweredWithin().toSeconds());
                statement.setLong(2, siteId);
                statement.setString(3, PRODUCTS_SEARCHED);
                statement.setTimestamp(4, Timestamp.from(from));
                statement.executeUpdate();
            }
            return searchesBySegment(connection, siteId, onlySegment);
        } finally {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP TEMPORARY TABLE IF EXISTS brief_window_searches");
            }
        }
    }

    private static Map<String, List<SearchStats>> searchesBySegment(Connection connection, long siteId, String onlySegment) throws SQLException {
        String segmentFilter = onlySegment == null ? "" : "AND m.segment_key = ?";
        Map<String, Map<Long, Integer>> ledTo = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT m.segment_key, s.q, s.led_to, COUNT(*)
                FROM brief_window_searches s
                STRAIGHT_JOIN segment_membership m ON m.visitor_id = s.visitor_id AND m.site_id = ? %s
                WHERE s.led_to IS NOT NULL
                GROUP BY m.segment_key, s.q, s.led_to""".formatted(segmentFilter))) {
            statement.setLong(1, siteId);
            if (onlySegment != null) {
                statement.setString(2, onlySegment);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    ledTo.computeIfAbsent(rs.getString(1) + "\n" + rs.getString(2), k -> new HashMap<>()).put(rs.getLong(3), rs.getInt(4));
                }
            }
        }
        Map<String, List<SearchStats>> searches = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT m.segment_key, s.q, COUNT(*), COUNT(DISTINCT s.visitor_id), SUM(s.led_to IS NULL),
                       COUNT(DISTINCT CASE WHEN s.led_to IS NULL THEN s.visitor_id END)
                FROM brief_window_searches s
                STRAIGHT_JOIN segment_membership m ON m.visitor_id = s.visitor_id AND m.site_id = ? %s
                GROUP BY m.segment_key, s.q""".formatted(segmentFilter))) {
            statement.setLong(1, siteId);
            if (onlySegment != null) {
                statement.setString(2, onlySegment);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    searches.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new SearchStats(rs.getString(2), rs.getInt(3),
                            rs.getInt(4), rs.getInt(5), rs.getInt(6), ledTo.getOrDefault(rs.getString(1) + "\n" + rs.getString(2), Map.of())));
                }
            }
        }
        return searches;
    }

    /**
     * When each segment reads: engaged reads per UTC hour of the window, folded into the 168 hours
     * of the week in the site's time zone (so daylight saving time is handled per hour).
     */
    private static Map<String, long[]> activity(Connection connection, long siteId, ZoneId zone, String onlySegment) throws SQLException {
        String sql = """
                SELECT m.segment_key, r.hour_bucket, COUNT(*)
                FROM brief_window_reads r
                STRAIGHT_JOIN segment_membership m ON m.visitor_id = r.visitor_id AND m.site_id = ? %s
                GROUP BY m.segment_key, r.hour_bucket""".formatted(onlySegment == null ? "" : "AND m.segment_key = ?");
        Map<String, long[]> activity = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, siteId);
            if (onlySegment != null) {
                statement.setString(2, onlySegment);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    ZonedDateTime local = HOUR_ORIGIN.plus(Duration.ofHours(rs.getLong(2))).atZone(zone);
                    activity.computeIfAbsent(rs.getString(1), k -> new long[PublishSlots.HOURS_PER_WEEK])[PublishSlots.hourOfWeek(local)] += rs.getLong(3);
                }
            }
        }
        return activity;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}

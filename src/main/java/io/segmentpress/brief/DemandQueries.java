package io.segmentpress.brief;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.segmentpress.brief.BriefApi.Topic;
import io.segmentpress.brief.SiteDemand.Post;
import io.segmentpress.brief.SiteDemand.SegmentStats;

/**
 * Loads a {@link SiteDemand}: the catalog and segment sizes with set-based SQL, and the window's
 * demand in one ordered pass over its reads. Segment memberships and the window's searches are
 * loaded once into memory; the reads are streamed in (visitor, time) order and counted for each
 * segment of their reader as they arrive ({@link DemandFold}), so no event is joined with
 * membership in the database and memory grows with (segment, post) pairs, not with events.
 */
@ApplicationScoped
public class DemandQueries {

    private static final Logger LOG = Logger.getLogger(DemandQueries.class);

    static final String CONTENT_ENGAGED = "Content Engaged";
    static final String PRODUCTS_SEARCHED = "Products Searched";
    /** A read counts as completed at this scroll depth. */
    static final int COMPLETED_SCROLL_DEPTH = 75;
    /** {@code occurred_at} as milliseconds since {@link DemandFold#HOUR_ORIGIN} (the session time zone is UTC). */
    private static final String MILLIS_SINCE_ORIGIN = "TIMESTAMPDIFF(MICROSECOND, '2000-01-01 00:00:00', occurred_at) DIV 1000";

    @Inject
    DataSource dataSource;

    @Inject
    BriefsConfig config;

    private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "brief-demand");
        thread.setDaemon(true);
        return thread;
    });

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    /**
     * Everything generation needs about {@code siteId} as of {@code now}; empty when the site does
     * not exist. With {@code onlySegment}, demand is loaded for that segment only (the site-wide
     * baseline is always loaded).
     */
    public Optional<SiteDemand> load(long siteId, Instant now, String onlySegment) {
        Instant windowStart = now.minus(config.window());
        long started = System.nanoTime();
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
            Segments segments = segments(connection, siteId, now, categoryNames, onlySegment);
            long segmentsRead = System.nanoTime();
            ZoneId zone = ZoneId.of(site[0]);
            DemandFold.Searches searches = searches(connection, siteId, windowStart, segments.members());
            long searchesRead = System.nanoTime();
            DemandFold.Result demand = windowDemand(connection, siteId, windowStart, zone, segments.members(), searches);
            LOG.debugf("site %d demand: catalog and segments %d ms, searches %d ms, reads %d ms", siteId,
                    (segmentsRead - started) / 1_000_000, (searchesRead - segmentsRead) / 1_000_000, (System.nanoTime() - searchesRead) / 1_000_000);
            return Optional.of(new SiteDemand(siteId, zone, site[1], now, windowStart, (Integer) siteTotals[0], (BigDecimal) siteTotals[1],
                    segments.stats(), posts, demand.segmentReads(), demand.siteReads(), demand.segmentSearches(), demand.segmentActivity()));
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

    /** Who the segments are, and which visitors' reads count for which segment (of {@code onlySegment} only, when given). */
    private record Segments(Map<String, SegmentStats> stats, DemandFold.Members members) {
    }

    /**
     * Every membership of the site with its visitor's profile, folded in memory into each segment's
     * size, revenue, orders, stage mix and members of 14+ days (by joining or by first visit; both
     * compared in SQL), in segment key order. Grouping the membership × profile join in SQL took
     * several times as long as reading both (3.9 s against under 1 s at 380 k memberships).
     */
    private Segments segments(Connection connection, long siteId, Instant now, Map<String, String> categoryNames, String onlySegment)
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
        Timestamp twoWeeksAgo = Timestamp.from(now.minus(Duration.ofDays(14)));
        record Profile(String stage, long revenueCents, int orders, boolean firstSeenTwoWeeksAgo) {
        }
        Map<Long, Profile> profiles = new HashMap<>();
        Map<String, String> stageNames = new HashMap<>();
        try (PreparedStatement statement = streaming(connection, """
                SELECT visitor_id, stage, CAST(revenue * 100 AS SIGNED), orders, COALESCE(first_seen <= ?, 0)
                FROM visitor_profile WHERE site_id = ?""")) {
            statement.setTimestamp(1, twoWeeksAgo);
            statement.setLong(2, siteId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    profiles.put(rs.getLong(1), new Profile(stageNames.computeIfAbsent(rs.getString(2), stage -> stage), rs.getLong(3),
                            rs.getInt(4), rs.getBoolean(5)));
                }
            }
        }
        Profile noProfile = new Profile("stage:awareness", 0, 0, false);
        class Tally {
            int size;
            long revenueCents;
            int orders;
            int longMembers;
            final Map<String, Integer> stages = new HashMap<>();
        }
        Map<String, Integer> segmentIndex = new HashMap<>();
        List<Tally> tallies = new ArrayList<>();
        long[] visitors = new long[1024];
        int[] segments = new int[1024];
        int count = 0;
        try (PreparedStatement statement = streaming(connection, """
                SELECT visitor_id, segment_key, since <= ? FROM segment_membership WHERE site_id = ? ORDER BY visitor_id""")) {
            statement.setTimestamp(1, twoWeeksAgo);
            statement.setLong(2, siteId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    long visitor = rs.getLong(1);
                    String key = rs.getString(2);
                    int segment = segmentIndex.computeIfAbsent(key, k -> {
                        tallies.add(new Tally());
                        return segmentIndex.size();
                    });
                    Profile profile = profiles.getOrDefault(visitor, noProfile);
                    Tally tally = tallies.get(segment);
                    tally.size++;
                    tally.revenueCents += profile.revenueCents();
                    tally.orders += profile.orders();
                    tally.longMembers += rs.getBoolean(3) || profile.firstSeenTwoWeeksAgo() ? 1 : 0;
                    tally.stages.merge(profile.stage(), 1, Integer::sum);
                    if (onlySegment == null || onlySegment.equals(key)) {
                        if (count == visitors.length) {
                            visitors = Arrays.copyOf(visitors, count * 2);
                            segments = Arrays.copyOf(segments, count * 2);
                        }
                        visitors[count] = visitor;
                        segments[count++] = segment;
                    }
                }
            }
        }
        String[] keys = new String[segmentIndex.size()];
        segmentIndex.forEach((key, index) -> keys[index] = key);
        Map<String, SegmentStats> stats = new LinkedHashMap<>();
        segmentIndex.keySet().stream().sorted(DemandQueries::byCodePoint).forEach(key -> {
            Tally tally = tallies.get(segmentIndex.get(key));
            stats.put(key, new SegmentStats(key, SegmentNames.of(key, customNames, categoryNames), tally.size,
                    BigDecimal.valueOf(tally.revenueCents, 2), tally.orders, Map.copyOf(tally.stages), tally.longMembers));
        });
        return new Segments(stats, new DemandFold.Members(keys, visitors, segments, count));
    }

    /** The order of the binary collation the keys are stored in. */
    private static int byCodePoint(String a, String b) {
        return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    /**
     * The window's searches by segment members, normalized as the API documents them (trimmed,
     * lower case). A few percent of the events: one range scan of ix_event_site_name_time, which
     * covers them (004-briefs), in time order; ordered by visitor in memory, because the database
     * would sort the wide query strings in temporary files (30 times slower at 250 k searches).
     */
    private static DemandFold.Searches searches(Connection connection, long siteId, Instant from, DemandFold.Members members)
            throws SQLException {
        Map<String, Integer> queryIds = new LinkedHashMap<>();
        long[] visitors = new long[1024];
        long[] atMillis = new long[1024];
        int[] queries = new int[1024];
        int count = 0;
        try (PreparedStatement statement = streaming(connection, """
                SELECT visitor_id, %s, LOWER(TRIM(search_query))
                FROM event
                WHERE site_id = ? AND name = ? AND occurred_at >= ? AND search_query IS NOT NULL AND TRIM(search_query) <> ''
                ORDER BY occurred_at""".formatted(MILLIS_SINCE_ORIGIN))) {
            statement.setLong(1, siteId);
            statement.setString(2, PRODUCTS_SEARCHED);
            statement.setTimestamp(3, Timestamp.from(from));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    long visitor = rs.getLong(1);
                    if (!members.has(visitor)) {
                        continue; // counted for segments only
                    }
                    if (count == visitors.length) {
                        visitors = Arrays.copyOf(visitors, count * 2);
                        atMillis = Arrays.copyOf(atMillis, count * 2);
                        queries = Arrays.copyOf(queries, count * 2);
                    }
                    visitors[count] = visitor;
                    atMillis[count] = rs.getLong(2);
                    queries[count++] = queryIds.computeIfAbsent(rs.getString(3), query -> queryIds.size());
                }
            }
        }
        return DemandFold.Searches.byVisitor(queryIds.keySet().toArray(String[]::new), visitors, atMillis, queries, count);
    }

    /**
     * The window's reads folded into demand. The visitors are split into {@link BriefsConfig#threads()}
     * id ranges of about as many segment members each; each range is one ordered scan of the
     * segment engine's covering index ix_event_engine (002-segments) on its own connection, streamed
     * and folded as it arrives, so nothing grows with the number of events.
     */
    private DemandFold.Result windowDemand(Connection connection, long siteId, Instant from, ZoneId zone, DemandFold.Members members,
            DemandFold.Searches searches) throws SQLException {
        int parts = members.size() < 1000 ? 1 : Math.max(1, config.threads());
        List<Future<DemandFold.Result>> others = new ArrayList<>();
        for (int part = 1; part < parts; part++) {
            long first = members.splitPoint(part, parts) + 1;
            long last = part + 1 < parts ? members.splitPoint(part + 1, parts) : Long.MAX_VALUE;
            others.add(workers.submit(() -> {
                try (Connection own = dataSource.getConnection()) {
                    return foldReads(own, siteId, from, zone, new DemandFold(members, searches, first, last, config.searchAnsweredWithin(),
                            COMPLETED_SCROLL_DEPTH));
                }
            }));
        }
        long last = parts > 1 ? members.splitPoint(1, parts) : Long.MAX_VALUE;
        DemandFold.Result result = foldReads(connection, siteId, from, zone,
                new DemandFold(members, searches, Long.MIN_VALUE, last, config.searchAnsweredWithin(), COMPLETED_SCROLL_DEPTH));
        try {
            for (Future<DemandFold.Result> other : others) {
                result = result.plus(other.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Brief demand loading interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException("Could not fold brief demand", e.getCause());
        }
        return result;
    }

    private static DemandFold.Result foldReads(Connection connection, long siteId, Instant from, ZoneId zone, DemandFold fold)
            throws SQLException {
        try (PreparedStatement statement = streaming(connection, """
                SELECT visitor_id, %s, post_id, engaged_seconds, scroll_depth
                FROM event FORCE INDEX (ix_event_engine)
                WHERE site_id = ? AND visitor_id BETWEEN ? AND ? AND name = ? AND occurred_at >= ? AND post_id IS NOT NULL
                ORDER BY visitor_id, occurred_at""".formatted(MILLIS_SINCE_ORIGIN))) {
            statement.setLong(1, siteId);
            statement.setLong(2, fold.firstVisitor());
            statement.setLong(3, fold.lastVisitor());
            statement.setString(4, CONTENT_ENGAGED);
            statement.setTimestamp(5, Timestamp.from(from));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    fold.read(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getInt(5));
                }
            }
        }
        return fold.finish(zone);
    }

    /** A forward-only statement whose rows the MySQL driver streams instead of buffering the whole result. */
    private static PreparedStatement streaming(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        statement.setFetchSize(Integer.MIN_VALUE);
        return statement;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}

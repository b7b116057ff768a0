package io.segmentpress.recommend;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.segmentpress.common.DbTime;
import io.segmentpress.common.error.ApiException;
import io.segmentpress.common.error.Violations;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.recommend.RecommendationApi.Insights;
import io.segmentpress.recommend.RecommendationApi.SegmentStats;
import io.segmentpress.recommend.RecommendationApi.VariantStats;
import io.segmentpress.site.Site;

/**
 * Impressions, clicks and CTR of recommendation lists per variant and per segment. Events are
 * attributed through their {@code rec_id} to the list served: the variant and audience the
 * service signed into the id at serve time count, not what the browser claims, so a tampered
 * event cannot move numbers between variants.
 */
@ApplicationScoped
public class RecommendationInsightsService {

    private static final Duration DEFAULT_RANGE = Duration.ofDays(30);
    private static final Duration MAX_RANGE = Duration.ofDays(400);

    /** Distinct lists seen in the window: one row per rec id. */
    private static final String VIEWED = "SELECT DISTINCT JSON_UNQUOTE(JSON_EXTRACT(e.properties, '$.rec_id')) AS rec_id "
            + "FROM event e WHERE e.site_id = ? AND e.name = 'Recommendation Viewed' AND e.occurred_at >= ? AND e.occurred_at < ?";
    /** Distinct (list, item) clicks in the window. */
    private static final String CLICKED = "SELECT DISTINCT JSON_UNQUOTE(JSON_EXTRACT(e.properties, '$.rec_id')) AS rec_id, "
            + "COALESCE(e.post_id, JSON_UNQUOTE(JSON_EXTRACT(e.properties, '$.post_id'))) AS post "
            + "FROM event e WHERE e.site_id = ? AND e.name = 'Recommendation Clicked' AND e.occurred_at >= ? AND e.occurred_at < ?";

    @Inject
    DataSource dataSource;

    @Inject
    AppClock clock;

    @Inject
    RecIds recIds;

    public Insights report(long siteId, String fromParam, String toParam) {
        Site site = Site.<Site>findByIdOptional(siteId).orElseThrow(() -> ApiException.notFound("No such site"));
        ZoneId zone = ZoneId.of(site.timezone);
        Violations violations = new Violations();
        Instant to = parseBound(toParam, zone, true, "to", violations);
        Instant from = parseBound(fromParam, zone, false, "from", violations);
        violations.throwIfAny();
        if (to == null) {
            to = clock.now();
        }
        if (from == null) {
            from = to.minus(DEFAULT_RANGE);
        }
        violations.check(from.isBefore(to), "from", "must be before to");
        violations.check(Duration.between(from, to).compareTo(MAX_RANGE) <= 0, "from", "the range may span at most 400 days");
        violations.throwIfAny();

        Map<String, long[]> byVariant = new TreeMap<>(java.util.Comparator.reverseOrder()); // ranked before control
        Map<String, long[]> bySegment = new TreeMap<>();
        long unattributed;
        // served lists are counted per 15-minute period: a period counts when it overlaps the range
        long fromMillis = from.toEpochMilli();
        Instant firstPeriod = Instant.ofEpochMilli(fromMillis - Math.floorMod(fromMillis, ServedLog.PERIOD_MILLIS));
        try (Connection connection = ReadConnections.open(dataSource)) {
            String servedFilter = " WHERE c.site_id = ? AND c.period_start >= ? AND c.period_start < ?";
            count(connection, "SELECT c.variant, NULL, SUM(c.lists) FROM recommendation_served_count c" + servedFilter
                    + " GROUP BY c.variant", byVariant, 0, siteId, firstPeriod, to);
            count(connection, "SELECT c.variant, g.segment_key, SUM(c.lists) FROM recommendation_served_count c "
                    + "JOIN recommendation_audience_segment g ON g.audience_id = c.audience_id" + servedFilter
                    + " GROUP BY c.variant, g.segment_key", bySegment, 0, siteId, firstPeriod, to);
            Audiences audiences = Audiences.of(connection, siteId);
            unattributed = attributed(connection, VIEWED, audiences, byVariant, bySegment, 1, siteId, from, to);
            unattributed += attributed(connection, CLICKED, audiences, byVariant, bySegment, 2, siteId, from, to);
        } catch (SQLException e) {
            throw new IllegalStateException("computing recommendation insights failed", e);
        }
        List<VariantStats> variants = new ArrayList<>();
        for (String variant : List.of(ExperimentSettings.RANKED, ExperimentSettings.CONTROL)) {
            long[] c = byVariant.getOrDefault(variant, new long[3]);
            variants.add(new VariantStats(variant, c[0], c[1], c[2], ctr(c)));
        }
        List<SegmentStats> segments = new ArrayList<>();
        bySegment.forEach((key, c) -> {
            String[] parts = key.split("\u0000", 2);
            segments.add(new SegmentStats(parts[1], parts[0], c[0], c[1], c[2], ctr(c)));
        });
        segments.sort(java.util.Comparator.comparing(SegmentStats::segment).thenComparing(SegmentStats::variant,
                java.util.Comparator.reverseOrder()));
        return new Insights(from, to, variants, segments, unattributed);
    }

    /** A site's audiences: segment keys by audience id, and audience id by the 64-bit hash rec ids carry. */
    private record Audiences(Map<Long, String[]> segments, Map<Long, Long> byHash) {

        static Audiences of(Connection connection, long siteId) throws SQLException {
            Map<Long, String[]> segments = new HashMap<>();
            Map<Long, Long> byHash = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT audience_id, keys_hash, segment_keys FROM recommendation_audience WHERE site_id = ?")) {
                statement.setLong(1, siteId);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        segments.put(id, rs.getString(3).split("\n"));
                        byHash.put(ServedLog.prefix(rs.getBytes(2)), id);
                    }
                }
            }
            return new Audiences(segments, byHash);
        }
    }

    /**
     * Attributes each row of {@code eventsSql} (a distinct list, or a distinct click on a list) to
     * the list it quotes, adding to column {@code column} of the per-variant and per-segment
     * counts; returns how many rows quote no list of this site. A rec id is read from the id
     * itself when its signature holds for this site; ids issued before rec ids were signed are
     * looked up among the lists then stored one row each.
     */
    private long attributed(Connection connection, String eventsSql, Audiences audiences, Map<String, long[]> byVariant,
            Map<String, long[]> bySegment, int column, long siteId, Instant from, Instant to) throws SQLException {
        long unattributed = 0;
        try (PreparedStatement statement = connection.prepareStatement("SELECT x.rec_id, s.variant, s.audience_id FROM (" + eventsSql
                + ") x LEFT JOIN recommendation_served s ON s.rec_id = x.rec_id AND s.site_id = ?", ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY)) {
            statement.setFetchSize(Integer.MIN_VALUE); // streamed: a busy site's month is many lists
            statement.setLong(1, siteId);
            statement.setString(2, DbTime.bound(from));
            statement.setString(3, DbTime.bound(to));
            statement.setLong(4, siteId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String variant = rs.getString(2);
                    long audienceId = rs.getLong(3);
                    if (variant == null) {
                        Optional<RecIds.Issued> issued = recIds.read(siteId, rs.getString(1));
                        if (issued.isEmpty()) {
                            unattributed++;
                            continue;
                        }
                        variant = issued.get().variant();
                        audienceId = audiences.byHash().getOrDefault(issued.get().audience(), 0L);
                    }
                    byVariant.computeIfAbsent(variant, k -> new long[3])[column]++;
                    String[] segments = audiences.segments().get(audienceId);
                    if (segments != null) {
                        for (String segment : segments) {
                            bySegment.computeIfAbsent(variant + "\u0000" + segment, k -> new long[3])[column]++;
                        }
                    }
                }
            }
        }
        return unattributed;
    }

    private static void count(Connection connection, String sql, Map<String, long[]> into, int column, Object... parameters)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object parameter = parameters[i];
                if (parameter instanceof Instant instant) {
                    statement.setString(i + 1, DbTime.bound(instant));
                } else {
                    statement.setLong(i + 1, (Long) parameter);
                }
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String variant = rs.getString(1);
                    String segment = rs.getString(2);
                    String key = segment == null ? variant : variant + "\u0000" + segment;
                    into.computeIfAbsent(key, k -> new long[3])[column] += rs.getLong(3);
                }
            }
        }
    }

    private static double ctr(long[] counts) {
        return counts[1] == 0 ? 0 : Math.round(10_000.0 * counts[2] / counts[1]) / 10_000.0;
    }

    /** An ISO instant, or a date in the site's time zone ({@code to} dates include the whole day). */
    private static Instant parseBound(String value, ZoneId zone, boolean endOfRange, String field, Violations violations) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            if (value.length() == 10) {
                LocalDate date = LocalDate.parse(value);
                return (endOfRange ? date.plusDays(1) : date).atStartOfDay(zone).toInstant();
            }
            return Instant.parse(value);
        } catch (DateTimeException e) {
            violations.add(field, "must be a date (2026-01-31) or an ISO-8601 instant (2026-01-31T12:00:00Z)");
            return null;
        }
    }
}

package io.segmentpress.recommend;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.segmentpress.common.DbTime;
import io.segmentpress.recommend.CatalogItem.Term;

/** Reads what a {@link SiteModel} is built from: the published catalog and recent reading behavior. */
@ApplicationScoped
class ModelLoader {

    /** How the catalog looked when it was loaded; a different mark means it changed. */
    record CatalogMark(long rows, long lastSyncedMillis) {
        static final CatalogMark NONE = new CatalogMark(0, 0);
    }

    private static final java.time.Duration BEHAVIOR_SCAN_TIMEOUT = java.time.Duration.ofMinutes(10);

    @Inject
    DataSource dataSource;

    @Inject
    RecommendConfig config;

    /** The site's published items (status {@code publish}) with their categories and tags. */
    List<CatalogItem> catalog(long siteId) {
        String itemsSql = "SELECT content_id, title, url, type, published_at, journey_stage, word_count, on_sale, price "
                + "FROM content_item WHERE site_id = ? AND status = 'publish'";
        String termsSql = "SELECT t.content_id, t.taxonomy, t.slug, t.name FROM content_term t "
                + "JOIN content_item c ON c.site_id = t.site_id AND c.content_id = t.content_id "
                + "WHERE t.site_id = ? AND c.status = 'publish' ORDER BY t.content_id, t.taxonomy, t.slug";
        try (Connection connection = ReadConnections.open(dataSource)) {
            Map<Long, List<Term>> categories = new HashMap<>();
            Map<Long, List<Term>> tags = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(termsSql)) {
                statement.setLong(1, siteId);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        Term term = new Term(rs.getString(3), rs.getString(4));
                        (("tag".equals(rs.getString(2))) ? tags : categories).computeIfAbsent(rs.getLong(1), id -> new ArrayList<>()).add(term);
                    }
                }
            }
            List<CatalogItem> items = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(itemsSql)) {
                statement.setLong(1, siteId);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        long contentId = rs.getLong(1);
                        Timestamp published = rs.getTimestamp(5);
                        int wordCount = rs.getInt(7);
                        Integer words = rs.wasNull() ? null : wordCount;
                        boolean onSale = rs.getBoolean(8);
                        items.add(new CatalogItem(contentId, rs.getString(2), rs.getString(3), rs.getString(4),
                                published == null ? 0 : published.getTime(), categories.getOrDefault(contentId, List.of()),
                                tags.getOrDefault(contentId, List.of()), rs.getString(6), words, onSale, rs.getBigDecimal(9)));
                    }
                }
            }
            return items;
        } catch (SQLException e) {
            throw new IllegalStateException("loading the catalog of site " + siteId + " failed", e);
        }
    }

    /**
     * Reads per (visitor, item) since {@code since}, grouped by visitor, and every visitor's segments.
     * Streams rows so a site with millions of events does not need them all in the driver at once.
     */
    BehaviorStats behavior(long siteId, Instant since, Instant now) {
        String readsSql = "SELECT visitor_id, post_id, MAX(occurred_at) FROM event "
                + "WHERE site_id = ? AND occurred_at >= ? AND post_id IS NOT NULL GROUP BY visitor_id, post_id ORDER BY visitor_id";
        String segmentsSql = "SELECT visitor_id, segment_key FROM segment_membership WHERE site_id = ?";
        ReadLog reads = new ReadLog();
        Map<Long, List<String>> segmentsOf = new HashMap<>();
        Map<String, String> interned = new HashMap<>();
        try (Connection connection = ReadConnections.open(dataSource)) {
            // a big site's behavior scan may outlast the pool's socket timeout, which is sized for requests
            int socketTimeout = connection.getNetworkTimeout();
            connection.setNetworkTimeout(Runnable::run, (int) BEHAVIOR_SCAN_TIMEOUT.toMillis());
            try (PreparedStatement statement = streaming(connection, readsSql)) {
                statement.setLong(1, siteId);
                statement.setTimestamp(2, Timestamp.from(since));
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        reads.add(rs.getLong(1), rs.getLong(2), DbTime.epochMillisOfDatetime(rs.getBytes(3)));
                    }
                }
            }
            try (PreparedStatement statement = streaming(connection, segmentsSql)) {
                statement.setLong(1, siteId);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        String key = interned.computeIfAbsent(rs.getString(2), k -> k);
                        segmentsOf.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>(4)).add(key);
                    }
                }
            }
            connection.setNetworkTimeout(Runnable::run, socketTimeout);
        } catch (SQLException e) {
            throw new IllegalStateException("loading reading behavior of site " + siteId + " failed", e);
        }
        return BehaviorStats.build(reads, segmentsOf, now.toEpochMilli(), config.coReadReadsPerVisitor(), config.coReadNeighbours(),
                config.itemsPerSegment());
    }

    /** The catalog mark of each of the given sites (sites without content are absent). */
    Map<Long, CatalogMark> catalogMarks(List<Long> siteIds) {
        Map<Long, CatalogMark> marks = new LinkedHashMap<>();
        if (siteIds.isEmpty()) {
            return marks;
        }
        String sql = "SELECT site_id, COUNT(*), MAX(synced_at) FROM content_item WHERE site_id IN (" + placeholders(siteIds.size())
                + ") GROUP BY site_id";
        try (Connection connection = ReadConnections.open(dataSource); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < siteIds.size(); i++) {
                statement.setLong(i + 1, siteIds.get(i));
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Timestamp last = rs.getTimestamp(3);
                    marks.put(rs.getLong(1), new CatalogMark(rs.getLong(2), last == null ? 0 : last.getTime()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("checking catalogs for changes failed", e);
        }
        return marks;
    }

    /** The raw {@code site.settings} JSON of each of the given sites. */
    Map<Long, String> siteSettings(List<Long> siteIds) {
        Map<Long, String> settings = new HashMap<>();
        if (siteIds.isEmpty()) {
            return settings;
        }
        String sql = "SELECT id, settings FROM site WHERE id IN (" + placeholders(siteIds.size()) + ")";
        try (Connection connection = ReadConnections.open(dataSource); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < siteIds.size(); i++) {
                statement.setLong(i + 1, siteIds.get(i));
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    settings.put(rs.getLong(1), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading site settings failed", e);
        }
        return settings;
    }

    private static PreparedStatement streaming(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        statement.setFetchSize(Integer.MIN_VALUE); // MySQL Connector/J: stream rows instead of buffering the result
        return statement;
    }

    private static String placeholders(int count) {
        return String.join(",", java.util.Collections.nCopies(count, "?"));
    }
}

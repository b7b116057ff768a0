package io.segmentpress.segment;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.jdbc.ServerPreparedStatement;

import io.segmentpress.common.DbTime;
import io.segmentpress.common.Json;
import io.segmentpress.common.MultiRowInsert;

/**
 * The engine's reads and writes, in plain JDBC: events are streamed forward-only in
 * (visitor, time) order, everything else is read and written in batches.
 */
final class SegmentStore {

    /** What the engine needs to know about a site. */
    record SiteRow(long siteId, ZoneId zone, String settings) {
    }

    /** {@code occurred_at} is read as it is stored and turned into epoch milliseconds here: the server's per-row arithmetic cost more. */
    private static final String EVENT_COLUMNS = "e.id, e.visitor_id, e.occurred_at, "
            + "e.type, e.name, e.post_id, e.order_id, "
            + "e.revenue, e.discount, e.coupon, e.engaged_seconds, e.scroll_depth";

    private SegmentStore() {
    }

    static Optional<SiteRow> site(Connection connection, long siteId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT timezone, settings FROM site WHERE id = ?")) {
            statement.setLong(1, siteId);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                ZoneId zone;
                try {
                    zone = ZoneId.of(rows.getString(1));
                } catch (RuntimeException e) {
                    zone = ZoneId.of("UTC");
                }
                return Optional.of(new SiteRow(siteId, zone, rows.getString(2)));
            }
        }
    }

    static List<Long> siteIdsWithVisitors(Connection connection) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT s.id FROM site s WHERE EXISTS (SELECT 1 FROM visitor v WHERE v.site_id = s.id) ORDER BY s.id");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        }
        return ids;
    }

    /**
     * Streams events of a site (or of the given visitors) oldest first per visitor. With
     * {@code withPayload} the properties and traits come along (custom rules need them), which
     * costs a row look-up per event; without, the scan stays inside {@code ix_event_engine}.
     */
    static void streamEvents(Connection connection, long siteId, Collection<Long> visitorIds, boolean withPayload,
            Consumer<EventRow> sink) throws SQLException {
        streamEvents(connection, siteId, visitorIds, null, withPayload, sink);
    }

    /** As above, for the visitors with ids in {@code [range[0], range[1]]} when a range is given. */
    static void streamEvents(Connection connection, long siteId, Collection<Long> visitorIds, long[] range, boolean withPayload,
            Consumer<EventRow> sink) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(EVENT_COLUMNS)
                .append(withPayload ? ", e.properties, e.traits" : "")
                // one index for every read, so ties in occurred_at come in the same order in a drain and a full recompute
                .append(" FROM event e FORCE INDEX (ix_event_engine) WHERE e.site_id = ?");
        if (visitorIds != null) {
            sql.append(" AND e.visitor_id IN ").append(MultiRowInsert.placeholders(visitorIds.size()));
        }
        if (range != null) {
            sql.append(" AND e.visitor_id BETWEEN ? AND ?");
        }
        sql.append(" ORDER BY e.visitor_id, e.occurred_at");
        // the binary protocol (a server-side prepared statement): numbers cross as fixed-width integers, which both the server
        // and the driver handle much faster than decimal text on millions of rows
        try (PreparedStatement statement = connection.unwrap(JdbcConnection.class).serverPrepareStatement(sql.toString(),
                ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            statement.setFetchSize(Integer.MIN_VALUE); // MySQL driver: stream rows instead of buffering the result
            int index = 1;
            statement.setLong(index++, siteId);
            if (visitorIds != null) {
                for (Long visitorId : visitorIds) {
                    statement.setLong(index++, visitorId);
                }
            }
            if (range != null) {
                statement.setLong(index++, range[0]);
                statement.setLong(index, range[1]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                RowDecoder row = new RowDecoder(rows, statement instanceof ServerPreparedStatement);
                while (rows.next()) {
                    // columns in their order: the driver finds a column by walking the row from the last one asked for
                    Long id = row.integer(1);
                    Long visitorId = row.integer(2);
                    Long occurredAt = row.epochMillis(3);
                    String type = row.name(4);
                    String name = row.name(5);
                    Long postId = row.integer(6);
                    String orderId = row.text(7);
                    BigDecimal revenue = row.decimal(8);
                    BigDecimal discount = row.decimal(9);
                    String coupon = row.text(10);
                    Long engagedSeconds = row.integer(11);
                    Long scrollDepth = row.integer(12);
                    sink.accept(new EventRow(id, visitorId, occurredAt, type, name, postId, orderId, revenue, discount, coupon,
                            engagedSeconds == null ? null : engagedSeconds.intValue(), scrollDepth == null ? null : scrollDepth.intValue(),
                            withPayload ? rows.getString(13) : null, withPayload ? rows.getString(14) : null));
                }
            }
        }
    }

    /**
     * Reads the event stream's columns from the row's bytes. The driver's typed getters look up
     * connection properties and build a value factory on every call, which was a fifth of the
     * JVM's time in a full recompute. In the binary protocol an integer column is its
     * little-endian two's-complement bytes; text and decimal columns are their characters in
     * either protocol.
     */
    private static final class RowDecoder {
        private static final int MAX_NAMES = 64;
        private final ResultSet rows;
        private final boolean binary;
        private final byte[][] nameBytes = new byte[MAX_NAMES][];
        private final String[] names = new String[MAX_NAMES];
        private int nameCount;

        RowDecoder(ResultSet rows, boolean binary) {
            this.rows = rows;
            this.binary = binary;
        }

        Long integer(int column) throws SQLException {
            if (!binary) {
                long value = rows.getLong(column);
                return rows.wasNull() ? null : value;
            }
            byte[] bytes = rows.getBytes(column);
            if (bytes == null) {
                return null;
            }
            long value = 0;
            for (int i = bytes.length - 1; i >= 0; i--) {
                value = (value << 8) | (bytes[i] & 0xff);
            }
            int unused = 64 - 8 * bytes.length;
            return (value << unused) >> unused;
        }

        /** A DATETIME column (UTC, as every timestamp here) as epoch milliseconds. */
        Long epochMillis(int column) throws SQLException {
            byte[] bytes = rows.getBytes(column);
            if (bytes == null) {
                return null;
            }
            return DbTime.epochMillisOfDatetime(bytes);
        }

        String text(int column) throws SQLException {
            byte[] bytes = rows.getBytes(column);
            return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        }

        /** A column with few distinct values (event type and name): one String instance per value. */
        String name(int column) throws SQLException {
            byte[] bytes = rows.getBytes(column);
            if (bytes == null) {
                return null;
            }
            for (int i = 0; i < nameCount; i++) {
                if (Arrays.equals(nameBytes[i], bytes)) {
                    return names[i];
                }
            }
            String name = new String(bytes, StandardCharsets.UTF_8);
            if (nameCount < MAX_NAMES) {
                nameBytes[nameCount] = bytes.clone();
                names[nameCount++] = name;
            }
            return name;
        }

        BigDecimal decimal(int column) throws SQLException {
            byte[] bytes = rows.getBytes(column);
            return bytes == null ? null : new BigDecimal(new String(bytes, StandardCharsets.US_ASCII));
        }
    }

    /** The lowest and highest visitor id with events on the site, or null without events. */
    static long[] visitorIdRange(Connection connection, long siteId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT MIN(visitor_id), MAX(visitor_id) FROM event FORCE INDEX (ix_event_engine) WHERE site_id = ?")) {
            statement.setLong(1, siteId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                long min = rows.getLong(1);
                return rows.wasNull() ? null : new long[] { min, rows.getLong(2) };
            }
        }
    }

    /** The properties of the given events (page views whose categories the catalog does not know). */
    static Map<Long, String> properties(Connection connection, Collection<Long> eventIds) throws SQLException {
        Map<Long, String> properties = new HashMap<>();
        List<Long> ids = new ArrayList<>(eventIds);
        for (int start = 0; start < ids.size(); start += 1000) {
            List<Long> slice = ids.subList(start, Math.min(ids.size(), start + 1000));
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT id, properties FROM event WHERE id IN " + MultiRowInsert.placeholders(slice.size()))) {
                for (int i = 0; i < slice.size(); i++) {
                    statement.setLong(i + 1, slice.get(i));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        properties.put(rows.getLong(1), rows.getString(2));
                    }
                }
            }
        }
        return properties;
    }

    /**
     * Categories and journey stage of the site's content, and the categories page calls named for
     * posts the catalog does not categorize: all of it, or just the given posts.
     */
    static Catalog catalog(Connection connection, long siteId, Collection<Long> postIds) throws SQLException {
        if (postIds != null && postIds.isEmpty()) {
            return Catalog.EMPTY;
        }
        Map<Long, List<String>> categories = new HashMap<>();
        Map<Long, String> stages = new HashMap<>();
        String postFilter = postIds == null ? "" : " AND content_id IN " + MultiRowInsert.placeholders(postIds.size());
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT content_id, slug FROM content_term WHERE site_id = ? AND taxonomy = 'category'" + postFilter
                        + " ORDER BY content_id, slug")) {
            bindSiteAndIds(statement, siteId, postIds);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    categories.computeIfAbsent(rows.getLong(1), id -> new ArrayList<>(2)).add(rows.getString(2));
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT content_id, journey_stage FROM content_item WHERE site_id = ? AND journey_stage IS NOT NULL" + postFilter)) {
            bindSiteAndIds(statement, siteId, postIds);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    stages.put(rows.getLong(1), rows.getString(2));
                }
            }
        }
        Map<Long, Catalog.Content> content = new HashMap<>();
        categories.forEach((id, slugs) -> content.put(id, new Catalog.Content(List.copyOf(slugs), stages.get(id))));
        stages.forEach((id, stage) -> content.putIfAbsent(id, new Catalog.Content(List.of(), stage)));
        Map<Long, List<String>> observed = new HashMap<>();
        String observedFilter = postIds == null ? "" : " AND post_id IN " + MultiRowInsert.placeholders(postIds.size());
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT post_id, categories FROM content_observed WHERE site_id = ?" + observedFilter)) {
            bindSiteAndIds(statement, siteId, postIds);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Long postId = rows.getLong(1);
                    if (!categories.containsKey(postId)) {
                        observed.put(postId, Json.readStringList(rows.getString(2)));
                    }
                }
            }
        }
        return new Catalog(content, observed);
    }

    /** Each visitor's user id (the most recently linked one), for the given visitors or the whole site. */
    static Map<Long, String> userIds(Connection connection, long siteId, Collection<Long> visitorIds) throws SQLException {
        Map<Long, String> userIds = new HashMap<>();
        String filter = visitorIds == null ? "" : " AND visitor_id IN " + MultiRowInsert.placeholders(visitorIds.size());
        if (visitorIds != null && visitorIds.isEmpty()) {
            return userIds;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT visitor_id, external_id FROM visitor_identity WHERE site_id = ? AND kind = 'user'" + filter
                        + " ORDER BY created_at, external_id")) {
            bindSiteAndIds(statement, siteId, visitorIds);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    userIds.put(rows.getLong(1), rows.getString(2));
                }
            }
        }
        return userIds;
    }

    /** Which of the given visitors still exist (ingest deletes a visitor it merged into another). */
    static List<Long> existingVisitors(Connection connection, long siteId, Collection<Long> visitorIds) throws SQLException {
        List<Long> existing = new ArrayList<>();
        if (visitorIds.isEmpty()) {
            return existing;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT id FROM visitor WHERE site_id = ? AND id IN " + MultiRowInsert.placeholders(visitorIds.size()))) {
            bindSiteAndIds(statement, siteId, visitorIds);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    existing.add(rows.getLong(1));
                }
            }
        }
        return existing;
    }

    /** The site's customers as last written to visitor_profile, by visitor id. */
    static Map<Long, SiteStats.Customer> storedCustomers(Connection connection, long siteId, SiteTime time) throws SQLException {
        Map<Long, SiteStats.Customer> customers = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT visitor_id, last_order_at, orders, revenue, average_order_value FROM visitor_profile "
                        + "WHERE site_id = ? AND orders > 0")) {
            statement.setLong(1, siteId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    long visitorId = rows.getLong(1);
                    if (rows.getTimestamp(2) != null) {
                        customers.put(visitorId, new SiteStats.Customer(visitorId, time.day(rows.getTimestamp(2).getTime()), rows.getInt(3),
                                rows.getBigDecimal(4), rows.getBigDecimal(5)));
                    }
                }
            }
        }
        return customers;
    }

    /** {visitorId → [profile hash, membership hash]} of what was last written for the site's visitors. */
    static Map<Long, long[]> storedHashes(Connection connection, long siteId, Collection<Long> visitorIds) throws SQLException {
        Map<Long, long[]> hashes = new HashMap<>();
        if (visitorIds != null && visitorIds.isEmpty()) {
            return hashes;
        }
        String filter = visitorIds == null ? "" : " AND visitor_id IN " + MultiRowInsert.placeholders(visitorIds.size());
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT visitor_id, profile_hash, membership_hash FROM visitor_profile WHERE site_id = ?" + filter)) {
            bindSiteAndIds(statement, siteId, visitorIds);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    hashes.put(rows.getLong(1), new long[] { rows.getLong(2), rows.getLong(3) });
                }
            }
        }
        return hashes;
    }

    /** The segment keys of the given visitors' current memberships. */
    static Map<Long, List<String>> membershipKeys(Connection connection, long siteId, Collection<Long> visitorIds) throws SQLException {
        Map<Long, List<String>> memberships = new HashMap<>();
        List<Long> ids = new ArrayList<>(visitorIds);
        for (int start = 0; start < ids.size(); start += 1000) {
            List<Long> slice = ids.subList(start, Math.min(ids.size(), start + 1000));
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT visitor_id, segment_key FROM segment_membership WHERE site_id = ? AND visitor_id IN "
                            + MultiRowInsert.placeholders(slice.size()))) {
                bindSiteAndIds(statement, siteId, slice);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        memberships.computeIfAbsent(rows.getLong(1), id -> new ArrayList<>()).add(rows.getString(2));
                    }
                }
            }
        }
        return memberships;
    }

    static void deleteWhereVisitorIn(Connection connection, String table, long siteId, Collection<Long> visitorIds) throws SQLException {
        List<Long> ids = new ArrayList<>(visitorIds);
        for (int start = 0; start < ids.size(); start += 1000) {
            List<Long> slice = ids.subList(start, Math.min(ids.size(), start + 1000));
            try (PreparedStatement statement = connection.prepareStatement(
                    "DELETE FROM " + table + " WHERE site_id = ? AND visitor_id IN " + MultiRowInsert.placeholders(slice.size()))) {
                bindSiteAndIds(statement, siteId, slice);
                statement.executeUpdate();
            }
        }
    }

    /**
     * Deletes memberships given as segment key → visitors, up to {@value #PAIRS_PER_DELETE} of them
     * per statement: {@code (segment_key = ? AND visitor_id IN (...)) OR ...} is a set of point
     * look-ups on the primary key, and one round trip instead of one per segment.
     */
    static void deleteMemberships(Connection connection, long siteId, Map<String, List<Long>> visitorsBySegment) throws SQLException {
        Map<String, List<Long>> batch = new java.util.LinkedHashMap<>();
        int pairs = 0;
        for (Map.Entry<String, List<Long>> entry : visitorsBySegment.entrySet()) {
            for (Long visitorId : entry.getValue()) {
                batch.computeIfAbsent(entry.getKey(), key -> new ArrayList<>()).add(visitorId);
                if (++pairs == PAIRS_PER_DELETE) {
                    deleteMembershipBatch(connection, siteId, batch);
                    batch.clear();
                    pairs = 0;
                }
            }
        }
        if (pairs > 0) {
            deleteMembershipBatch(connection, siteId, batch);
        }
    }

    private static final int PAIRS_PER_DELETE = 1000;

    private static void deleteMembershipBatch(Connection connection, long siteId, Map<String, List<Long>> visitorsBySegment)
            throws SQLException {
        StringBuilder sql = new StringBuilder("DELETE FROM segment_membership WHERE site_id = ? AND (");
        boolean first = true;
        for (List<Long> visitorIds : visitorsBySegment.values()) {
            sql.append(first ? "" : " OR ").append("(segment_key = ? AND visitor_id IN ").append(MultiRowInsert.placeholders(visitorIds.size()))
                    .append(')');
            first = false;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.append(')').toString())) {
            int index = 1;
            statement.setLong(index++, siteId);
            for (Map.Entry<String, List<Long>> entry : visitorsBySegment.entrySet()) {
                statement.setString(index++, entry.getKey());
                for (Long visitorId : entry.getValue()) {
                    statement.setLong(index++, visitorId);
                }
            }
            statement.executeUpdate();
        }
    }

    static Timestamp timestamp(long epochMillis) {
        return new Timestamp(epochMillis);
    }

    private static void bindSiteAndIds(PreparedStatement statement, long siteId, Collection<Long> ids) throws SQLException {
        statement.setLong(1, siteId);
        if (ids != null) {
            int index = 2;
            for (Long id : ids) {
                statement.setLong(index++, id);
            }
        }
    }
}

package io.segmentpress.segment;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.segmentpress.common.MultiRowInsert;
import io.segmentpress.common.error.ApiException;
import io.segmentpress.segment.BuiltInSegment.Family;
import io.segmentpress.segment.SegmentApi.MemberView;
import io.segmentpress.segment.SegmentApi.MembersPage;
import io.segmentpress.segment.SegmentApi.SegmentView;

/** Reads segments and their members for the API: built-in, interest (one per content category) and custom. */
@ApplicationScoped
public class SegmentDirectory {

    public static final int DEFAULT_PAGE = 100;
    public static final int MAX_PAGE = 1000;

    @Inject
    DataSource dataSource;

    /** Every segment of the site with its current size, built-in ones first. */
    public List<SegmentView> list(long siteId) {
        try (Connection connection = dataSource.getConnection()) {
            return segments(connection, siteId, null);
        } catch (SQLException e) {
            throw new IllegalStateException("segments could not be listed", e);
        }
    }

    public Optional<SegmentView> find(long siteId, String key) {
        try (Connection connection = dataSource.getConnection()) {
            return segments(connection, siteId, key).stream().findFirst();
        } catch (SQLException e) {
            throw new IllegalStateException("segment could not be read", e);
        }
    }

    /**
     * One page of a segment's members in visitor id order. The cursor is opaque to callers: the
     * last visitor id of the previous page.
     */
    public MembersPage members(long siteId, String key, String cursor, Integer limit) {
        int pageSize = limit == null ? DEFAULT_PAGE : limit;
        if (pageSize < 1 || pageSize > MAX_PAGE) {
            throw ApiException.badRequest("limit", "must be between 1 and " + MAX_PAGE);
        }
        long after = decodeCursor(cursor);
        if (find(siteId, key).isEmpty()) {
            throw ApiException.notFound("No segment " + key);
        }
        try (Connection connection = dataSource.getConnection()) {
            List<MemberView> items = page(connection, siteId, key, after, pageSize + 1);
            String next = null;
            if (items.size() > pageSize) {
                items = items.subList(0, pageSize);
                next = encodeCursor(items.get(pageSize - 1).visitorId());
            }
            return new MembersPage(items, next);
        } catch (SQLException e) {
            throw new IllegalStateException("members could not be read", e);
        }
    }

    /** Calls {@code sink} with every member of the segment, a page at a time (for the CSV export). */
    public void forEachMember(long siteId, String key, java.util.function.Consumer<MemberView> sink) {
        try (Connection connection = dataSource.getConnection()) {
            long after = 0;
            while (true) {
                List<MemberView> page = page(connection, siteId, key, after, MAX_PAGE);
                page.forEach(sink);
                if (page.size() < MAX_PAGE) {
                    return;
                }
                after = page.get(page.size() - 1).visitorId();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("members could not be read", e);
        }
    }

    private static List<MemberView> page(Connection connection, long siteId, String key, long afterVisitorId, int limit)
            throws SQLException {
        List<long[]> rows = new ArrayList<>();
        List<Instant> since = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT visitor_id, since FROM segment_membership "
                + "WHERE site_id = ? AND segment_key = ? AND visitor_id > ? ORDER BY visitor_id LIMIT ?")) {
            statement.setLong(1, siteId);
            statement.setString(2, key);
            statement.setLong(3, afterVisitorId);
            statement.setInt(4, limit);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(new long[] { result.getLong(1) });
                    since.add(result.getTimestamp(2).toInstant());
                }
            }
        }
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, String> userIds = new HashMap<>();
        Map<Long, List<String>> anonymousIds = new HashMap<>();
        String in = MultiRowInsert.placeholders(rows.size());
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT visitor_id, kind, external_id FROM visitor_identity WHERE site_id = ? AND visitor_id IN " + in
                        + " ORDER BY visitor_id, created_at, external_id")) {
            statement.setLong(1, siteId);
            for (int i = 0; i < rows.size(); i++) {
                statement.setLong(i + 2, rows.get(i)[0]);
            }
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    if ("user".equals(result.getString(2))) {
                        userIds.put(result.getLong(1), result.getString(3));
                    } else {
                        anonymousIds.computeIfAbsent(result.getLong(1), id -> new ArrayList<>()).add(result.getString(3));
                    }
                }
            }
        }
        List<MemberView> members = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            long visitorId = rows.get(i)[0];
            members.add(new MemberView(visitorId, userIds.get(visitorId), anonymousIds.getOrDefault(visitorId, List.of()), since.get(i)));
        }
        return members;
    }

    private static List<SegmentView> segments(Connection connection, long siteId, String onlyKey) throws SQLException {
        Map<String, long[]> sizes = new HashMap<>();
        String keyFilter = onlyKey == null ? "" : " AND segment_key = ?";
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT segment_key, COUNT(*) FROM segment_membership WHERE site_id = ?" + keyFilter + " GROUP BY segment_key")) {
            statement.setLong(1, siteId);
            if (onlyKey != null) {
                statement.setString(2, onlyKey);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    sizes.put(rows.getString(1), new long[] { rows.getLong(2) });
                }
            }
        }
        Map<String, Instant> changed = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT segment_key, MAX(at) FROM segment_transition WHERE site_id = ?" + keyFilter + " GROUP BY segment_key")) {
            statement.setLong(1, siteId);
            if (onlyKey != null) {
                statement.setString(2, onlyKey);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    changed.put(rows.getString(1), rows.getTimestamp(2).toInstant());
                }
            }
        }

        Map<String, SegmentView> segments = new LinkedHashMap<>();
        for (BuiltInSegment segment : BuiltInSegment.values()) {
            if (onlyKey == null || onlyKey.equals(segment.key())) {
                segments.put(segment.key(), new SegmentView(segment.key(), segment.displayName(), segment.family().apiName(),
                        segment.description(), size(sizes, segment.key()), changed.get(segment.key())));
            }
        }
        if (onlyKey == null || onlyKey.startsWith(BuiltInSegment.INTEREST_PREFIX)) {
            interestSegments(connection, siteId, onlyKey, sizes, changed, segments);
        }
        if (onlyKey == null || !segments.containsKey(onlyKey)) {
            customSegments(connection, siteId, onlyKey, sizes, changed, segments);
        }
        return new ArrayList<>(segments.values());
    }

    /** One interest segment per category of the site's content, plus any still held for a category since removed. */
    private static void interestSegments(Connection connection, long siteId, String onlyKey, Map<String, long[]> sizes,
            Map<String, Instant> changed, Map<String, SegmentView> into) throws SQLException {
        Map<String, String> names = new java.util.TreeMap<>();
        String slugFilter = onlyKey == null ? "" : " AND slug = ?";
        try (PreparedStatement statement = connection.prepareStatement("SELECT slug, MIN(name) FROM content_term "
                + "WHERE site_id = ? AND taxonomy = 'category'" + slugFilter + " GROUP BY slug")) {
            statement.setLong(1, siteId);
            if (onlyKey != null) {
                statement.setString(2, onlyKey.substring(BuiltInSegment.INTEREST_PREFIX.length()));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        for (String key : sizes.keySet()) {
            if (key.startsWith(BuiltInSegment.INTEREST_PREFIX)) {
                String slug = key.substring(BuiltInSegment.INTEREST_PREFIX.length());
                names.putIfAbsent(slug, slug);
            }
        }
        for (Map.Entry<String, String> category : names.entrySet()) {
            String key = BuiltInSegment.INTEREST_PREFIX + category.getKey();
            if (key.length() <= 120) {
                into.put(key, new SegmentView(key, "Interested in " + category.getValue(), Family.INTEREST.apiName(),
                        "Puts at least 25% of its engaged reading on " + category.getValue() + ", with at least 3 reads",
                        size(sizes, key), changed.get(key)));
            }
        }
    }

    private static void customSegments(Connection connection, long siteId, String onlyKey, Map<String, long[]> sizes,
            Map<String, Instant> changed, Map<String, SegmentView> into) throws SQLException {
        String keyFilter = onlyKey == null ? "" : " AND segment_key = ?";
        try (PreparedStatement statement = connection.prepareStatement("SELECT segment_key, name, description, updated_at "
                + "FROM custom_segment WHERE site_id = ?" + keyFilter + " ORDER BY segment_key")) {
            statement.setLong(1, siteId);
            if (onlyKey != null) {
                statement.setString(2, onlyKey);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String key = rows.getString(1);
                    Instant updated = latest(rows.getTimestamp(4), changed.get(key));
                    into.put(key, new SegmentView(key, rows.getString(2), Family.CUSTOM.apiName(), rows.getString(3), size(sizes, key),
                            updated));
                }
            }
        }
    }

    private static Instant latest(Timestamp defined, Instant changed) {
        Instant definedAt = defined == null ? null : defined.toInstant();
        if (definedAt == null) {
            return changed;
        }
        return changed == null || definedAt.isAfter(changed) ? definedAt : changed;
    }

    private static long size(Map<String, long[]> sizes, String key) {
        long[] size = sizes.get(key);
        return size == null ? 0 : size[0];
    }

    static String encodeCursor(long visitorId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("v1:" + visitorId).getBytes(StandardCharsets.UTF_8));
    }

    static long decodeCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith("v1:")) {
                long visitorId = Long.parseLong(decoded.substring(3));
                if (visitorId >= 0) {
                    return visitorId;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the 400 below
        }
        throw ApiException.badRequest("cursor", "is not a cursor this API returned");
    }
}

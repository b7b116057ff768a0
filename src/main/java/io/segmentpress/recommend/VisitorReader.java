package io.segmentpress.recommend;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.segmentpress.common.DbTime;
import io.segmentpress.common.Json;
import io.segmentpress.segment.ReadHistory;

/**
 * Loads what ranking needs about one visitor: identity, profile (stage, interests), segment keys
 * and every item the visitor has read.
 *
 * <p>Usually that is one row read by primary keys alone: the segment engine keeps the segment keys
 * and the read history on the profile row, in the transaction that writes the memberships, and a
 * visitor without a {@code visitor_dirty} mark (claimed or not) has no event the profile row does
 * not hold (see {@code DirtyMarks}). A visitor with a mark (events not yet drained, seconds at
 * most) or with a history too long for the row takes the segment keys from the row (they are
 * written with the memberships, so they are as current as those) and the reads from the events in
 * a second round trip, one range of the covering {@code (visitor_id, post_id, occurred_at)} index.
 * A visitor without a profile row in this form (not drained yet, or written before it existed) is
 * read from the membership and event tables alone. Neither second query is part of the first:
 * the server prepares a statement's correlated subqueries on every execution, whether or not they
 * run.
 */
@ApplicationScoped
class VisitorReader {

    private static final String PROFILE = "SELECT i.visitor_id, p.stage, p.interests, p.segment_keys, p.read_history, d.visitor_id IS NOT NULL "
            + "FROM visitor_identity i LEFT JOIN visitor_profile p ON p.visitor_id = i.visitor_id "
            + "LEFT JOIN visitor_dirty d ON d.visitor_id = i.visitor_id "
            + "WHERE i.site_id = ? AND i.kind = 'anon' AND i.external_id = ?";
    /**
     * The segment keys (kind 0) and every read (kind 1: post id and time) of a visitor without a
     * profile row in this form, as plain rows of one statement. Plain rows rather than
     * {@code GROUP_CONCAT}: the server builds a temporary table for every {@code GROUP_CONCAT} it
     * evaluates, which costs more than sending the rows, and a list has no length limit to check.
     */
    private static final String SEGMENTS_AND_READS = "SELECT 0, m.segment_key, NULL FROM segment_membership m WHERE m.visitor_id = ? AND m.site_id = ? "
            + "UNION ALL SELECT 1, e.post_id, e.occurred_at FROM event e WHERE e.visitor_id = ? AND e.post_id IS NOT NULL";
    /**
     * Every read from the events (one range of the covering index), for a visitor whose profile
     * row has the segment keys but not all events yet.
     */
    private static final String READS_FROM_EVENTS = "SELECT post_id, occurred_at FROM event WHERE visitor_id = ? AND post_id IS NOT NULL";

    private final DataSource dataSource;
    private final Counter fromProfile;
    private final Counter fromEvents;

    @Inject
    VisitorReader(DataSource dataSource, MeterRegistry registry) {
        this.dataSource = dataSource;
        String name = "segmentpress.recommend.visitor.reads";
        String description = "Known visitors loaded for recommendations, by where their segments and reads came from";
        this.fromProfile = Counter.builder(name).tag("source", "profile").description(description).register(registry);
        this.fromEvents = Counter.builder(name).tag("source", "events").description(description).register(registry);
    }

    /** The visitor known by this anonymous id on this site, or {@link VisitorContext#unknown()}. */
    VisitorContext load(long siteId, String anonymousId) {
        return load(siteId, anonymousId, false);
    }

    /**
     * As {@link #load(long, String)}; with {@code alwaysFromEvents} the segment keys and reads always come
     * from the membership and event tables (tests compare both ways).
     */
    VisitorContext load(long siteId, String anonymousId, boolean alwaysFromEvents) {
        long visitorId;
        String stage = null;
        Map<String, Double> interests = Map.of();
        List<String> segments = new ArrayList<>();
        Map<Long, Long> reads = new HashMap<>();
        try (Connection connection = ReadConnections.open(dataSource)) {
            String segmentKeys;
            String history;
            boolean rowHasSegments;
            boolean rowHasAllReads;
            try (PreparedStatement statement = connection.prepareStatement(PROFILE)) {
                statement.setLong(1, siteId);
                statement.setString(2, anonymousId);
                try (ResultSet rs = statement.executeQuery()) {
                    if (!rs.next()) {
                        return VisitorContext.unknown();
                    }
                    visitorId = rs.getLong(1);
                    stage = rs.getString(2);
                    String interestsJson = rs.getString(3);
                    interests = interestsJson == null ? Map.of() : parseInterests(interestsJson);
                    segmentKeys = rs.getString(4);
                    history = rs.getString(5);
                    boolean marked = rs.getBoolean(6);
                    while (rs.next()) {
                        marked |= rs.getBoolean(6); // a claimed and an unclaimed mark
                    }
                    rowHasSegments = segmentKeys != null; // null also without a profile row
                    rowHasAllReads = rowHasSegments && !marked && history != null;
                }
            }
            if (alwaysFromEvents || !rowHasSegments) {
                loadFromEvents(connection, siteId, visitorId, segments, reads);
                fromEvents.increment();
            } else {
                // the row's segment keys are written in the transaction that writes the memberships: as current as those
                if (!segmentKeys.isEmpty()) {
                    segments.addAll(Arrays.asList(segmentKeys.split("\n")));
                }
                if (history != null) {
                    ReadHistory.parse(history, reads);
                }
                if (rowHasAllReads) {
                    fromProfile.increment();
                } else {
                    readFromEvents(connection, visitorId, reads); // events not folded in yet
                    fromEvents.increment();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("loading visitor for recommendations failed", e);
        }
        if (stage == null) {
            stage = segments.stream().filter(key -> key.startsWith("stage:")).findFirst().orElse(VisitorContext.DEFAULT_STAGE);
        }
        if (!segments.contains(stage)) {
            segments.add(stage);
        }
        segments.sort(null);
        return new VisitorContext(visitorId, List.copyOf(segments), stage, interests, reads);
    }

    private static void loadFromEvents(Connection connection, long siteId, long visitorId, List<String> segments, Map<Long, Long> reads)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SEGMENTS_AND_READS)) {
            statement.setLong(1, visitorId);
            statement.setLong(2, siteId);
            statement.setLong(3, visitorId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    if (rs.getInt(1) == 0) {
                        segments.add(rs.getString(2));
                    } else {
                        addRead(reads, rs.getLong(2), rs.getBytes(3));
                    }
                }
            }
        }
    }

    private static void readFromEvents(Connection connection, long visitorId, Map<Long, Long> reads) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(READS_FROM_EVENTS)) {
            statement.setLong(1, visitorId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    addRead(reads, rs.getLong(1), rs.getBytes(2));
                }
            }
        }
    }

    /**
     * A read at {@code occurredAt}, the column's raw bytes (UTC); a post read more than once counts
     * at its latest time.
     */
    private static void addRead(Map<Long, Long> reads, long postId, byte[] occurredAt) {
        reads.merge(postId, DbTime.epochMillisOfDatetime(occurredAt), Math::max);
    }

    /**
     * The profile's {@code interests}: category slug → weight. Read both as the segment engine
     * writes it, {@code [{"category": "recipes", "share": 0.42, "reads": 5}, …]}, and as a plain
     * object {@code {"recipes": 0.42}}; anything else counts as no interests.
     */
    static Map<String, Double> parseInterests(String json) {
        Map<String, Double> written = json == null ? null : parseAsWritten(json);
        return written != null ? written : parseAnyJson(json);
    }

    private static final String CATEGORY = "{\"category\":\"";
    private static final String SHARE = "\",\"share\":";
    private static final String READS = ",\"reads\":";

    /**
     * Reads the exact text the segment engine writes without building a JSON tree (every request
     * reads one); null for anything else, escaped category names included, which
     * {@link #parseAnyJson} then reads.
     */
    static Map<String, Double> parseAsWritten(String json) {
        int end = json.length() - 1;
        if (end < 1 || json.charAt(0) != '[' || json.charAt(end) != ']') {
            return null;
        }
        Map<String, Double> interests = new HashMap<>();
        int at = 1;
        while (at < end) {
            if (!json.startsWith(CATEGORY, at)) {
                return null;
            }
            int nameStart = at + CATEGORY.length();
            int nameEnd = json.indexOf(SHARE, nameStart);
            if (nameEnd < 0 || !plainText(json, nameStart, nameEnd)) {
                return null;
            }
            int shareStart = nameEnd + SHARE.length();
            int shareEnd = json.indexOf(READS, shareStart);
            if (shareEnd < 0 || !digits(json, shareStart, shareEnd, true)) {
                return null;
            }
            int readsStart = shareEnd + READS.length();
            int close = json.indexOf('}', readsStart);
            if (close < 0 || !digits(json, readsStart, close, false)) {
                return null;
            }
            double share = Double.parseDouble(json.substring(shareStart, shareEnd));
            if (share > 0) {
                interests.put(json.substring(nameStart, nameEnd), share);
            }
            at = close + 1;
            if (at < end) {
                if (json.charAt(at) != ',') {
                    return null;
                }
                at++;
                if (at == end) {
                    return null; // a trailing comma
                }
            }
        }
        return interests;
    }

    /** No quote, backslash or control character: the text is its own JSON string content. */
    private static boolean plainText(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20) {
                return false;
            }
        }
        return true;
    }

    /** A plain decimal number ({@code 0.42}), or with {@code fraction} false a whole one. */
    private static boolean digits(String text, int from, int to, boolean fraction) {
        if (from == to) {
            return false;
        }
        boolean point = false;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '.' && fraction && !point && i > from && i < to - 1) {
                point = true;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Any JSON: the engine's array form and a plain {@code {"recipes": 0.42}} object. */
    static Map<String, Double> parseAnyJson(String json) {
        JsonNode node;
        try {
            node = Json.readTree(json);
        } catch (IllegalStateException e) {
            return Map.of();
        }
        Map<String, Double> interests = new HashMap<>();
        if (node != null && node.isArray()) {
            for (JsonNode entry : node) {
                JsonNode category = entry.get("category");
                JsonNode share = entry.get("share");
                if (category != null && category.isTextual() && share != null && share.isNumber() && share.asDouble() > 0) {
                    interests.put(category.asText(), share.asDouble());
                }
            }
        } else if (node != null && node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getValue().isNumber() && field.getValue().asDouble() > 0) {
                    interests.put(field.getKey(), field.getValue().asDouble());
                }
            });
        }
        return interests;
    }
}

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

import io.segmentpress.common.Json;

/**
 * Loads what ranking needs about one visitor in a single round trip that returns a single row:
 * identity, profile (stage, interests), segment keys and every item the visitor has read. The
 * identity is resolved once (primary key) and the rest hangs off it: the profile by primary key,
 * the segment keys and the reads as two correlated {@code GROUP_CONCAT}s over index ranges
 * (membership by visitor, and the covering {@code (visitor_id, post_id, occurred_at)} index on
 * events). One row instead of a {@code UNION} of four look-ups saves the server resolving the
 * identity four times and materializing the union.
 */
@ApplicationScoped
class VisitorReader {

    /**
     * Reads as {@code postId:epochMillis} pairs, comma-separated. The session time zone is UTC
     * (see {@code new-connection-sql}), so {@code UNIX_TIMESTAMP} reads {@code occurred_at} as UTC.
     */
    private static final String READS = "SELECT GROUP_CONCAT(e.post_id, ':', FLOOR(UNIX_TIMESTAMP(e.occurred_at) * 1000) SEPARATOR ',') "
            + "FROM event e WHERE e.visitor_id = i.visitor_id AND e.post_id IS NOT NULL";
    private static final String SQL = "SELECT i.visitor_id, p.stage, p.interests, "
            + "(SELECT GROUP_CONCAT(m.segment_key SEPARATOR '\n') FROM segment_membership m WHERE m.visitor_id = i.visitor_id AND m.site_id = i.site_id), "
            + "(" + READS + "), @@group_concat_max_len "
            + "FROM visitor_identity i LEFT JOIN visitor_profile p ON p.visitor_id = i.visitor_id "
            + "WHERE i.site_id = ? AND i.kind = 'anon' AND i.external_id = ?";
    /** The reads of a visitor with more of them than one {@code GROUP_CONCAT} holds. */
    private static final String ALL_READS = "SELECT post_id, MAX(occurred_at) FROM event WHERE visitor_id = ? AND post_id IS NOT NULL GROUP BY post_id";

    @Inject
    DataSource dataSource;

    /** The visitor known by this anonymous id on this site, or {@link VisitorContext#unknown()}. */
    VisitorContext load(long siteId, String anonymousId) {
        long visitorId;
        String stage;
        Map<String, Double> interests;
        List<String> segments = new ArrayList<>();
        Map<Long, Long> reads = new HashMap<>();
        try (Connection connection = ReadConnections.open(dataSource); PreparedStatement statement = connection.prepareStatement(SQL)) {
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
                String segmentKeys = rs.getString(4);
                if (segmentKeys != null) {
                    segments.addAll(Arrays.asList(segmentKeys.split("\n")));
                }
                String concatenatedReads = rs.getString(5);
                long maxLength = rs.getLong(6);
                if (concatenatedReads != null && concatenatedReads.length() < maxLength) {
                    parseReads(concatenatedReads, reads);
                } else if (concatenatedReads != null) {
                    loadAllReads(connection, visitorId, reads); // the list was cut at group_concat_max_len
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

    /** Parses {@code postId:epochMillis,…} keeping the latest time per post. */
    static void parseReads(String concatenated, Map<Long, Long> reads) {
        int start = 0;
        int length = concatenated.length();
        while (start < length) {
            int colon = concatenated.indexOf(':', start);
            int comma = concatenated.indexOf(',', colon);
            int end = comma < 0 ? length : comma;
            long postId = Long.parseLong(concatenated, start, colon, 10);
            long readAt = Long.parseLong(concatenated, colon + 1, end, 10);
            reads.merge(postId, readAt, Math::max);
            start = end + 1;
        }
    }

    private static void loadAllReads(Connection connection, long visitorId, Map<Long, Long> reads) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(ALL_READS)) {
            statement.setLong(1, visitorId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    reads.put(rs.getLong(1), rs.getTimestamp(2).getTime());
                }
            }
        }
    }

    /**
     * The profile's {@code interests}: category slug → weight. Read both as the segment engine
     * writes it, {@code [{"category": "recipes", "share": 0.42, "reads": 5}, …]}, and as a plain
     * object {@code {"recipes": 0.42}}; anything else counts as no interests.
     */
    static Map<String, Double> parseInterests(String json) {
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

package io.segmentpress.recommend;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.segmentpress.common.Json;

/**
 * Loads what ranking needs about one visitor in a single round trip: identity, profile (stage,
 * interests), segment keys and every item the visitor has read. Each branch is an index look-up
 * (identity primary key, profile primary key, membership by visitor, and the covering
 * {@code (visitor_id, post_id, occurred_at)} index on events).
 */
@ApplicationScoped
class VisitorReader {

    private static final String BY_ANONYMOUS_ID = " FROM visitor_identity i %s WHERE i.site_id = ? AND i.kind = 'anon' AND i.external_id = ?";
    private static final String SQL = "SELECT 'v', i.visitor_id, CAST(NULL AS SIGNED), CAST(NULL AS CHAR), CAST(NULL AS CHAR), CAST(NULL AS DATETIME(3))"
            + String.format(BY_ANONYMOUS_ID, "")
            + " UNION ALL SELECT 'p', p.visitor_id, NULL, p.stage, p.interests, NULL"
            + String.format(BY_ANONYMOUS_ID, "JOIN visitor_profile p ON p.visitor_id = i.visitor_id")
            + " UNION ALL SELECT 's', m.visitor_id, NULL, m.segment_key, NULL, NULL"
            + String.format(BY_ANONYMOUS_ID, "JOIN segment_membership m ON m.visitor_id = i.visitor_id AND m.site_id = i.site_id")
            + " UNION ALL SELECT 'r', e.visitor_id, e.post_id, NULL, NULL, MAX(e.occurred_at)"
            + String.format(BY_ANONYMOUS_ID, "JOIN event e ON e.visitor_id = i.visitor_id")
            + " AND e.post_id IS NOT NULL GROUP BY e.visitor_id, e.post_id";

    @Inject
    DataSource dataSource;

    /** The visitor known by this anonymous id on this site, or {@link VisitorContext#unknown()}. */
    VisitorContext load(long siteId, String anonymousId) {
        Long visitorId = null;
        String stage = null;
        Map<String, Double> interests = Map.of();
        List<String> segments = new ArrayList<>();
        Map<Long, Long> reads = new HashMap<>();
        try (Connection connection = ReadConnections.open(dataSource); PreparedStatement statement = connection.prepareStatement(SQL)) {
            for (int branch = 0; branch < 4; branch++) {
                statement.setLong(branch * 2 + 1, siteId);
                statement.setString(branch * 2 + 2, anonymousId);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    visitorId = rs.getLong(2);
                    switch (rs.getString(1)) {
                        case "p" -> {
                            stage = rs.getString(4);
                            interests = parseInterests(rs.getString(5));
                        }
                        case "s" -> segments.add(rs.getString(4));
                        case "r" -> reads.put(rs.getLong(3), rs.getTimestamp(6).getTime());
                        default -> {
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("loading visitor for recommendations failed", e);
        }
        if (visitorId == null) {
            return VisitorContext.unknown();
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

package io.segmentpress.segment.rule;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.segmentpress.common.Json;

/** Reads a site's custom segments from {@code custom_segment}. */
@ApplicationScoped
public class JdbcCustomSegments implements CustomSegments {

    @Inject
    DataSource dataSource;

    @Override
    public List<CustomSegmentDefinition> forSite(long siteId) {
        Map<String, CustomSegmentDefinition> byKey = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT segment_key, name, description, rule FROM custom_segment WHERE site_id = ? ORDER BY segment_key")) {
            statement.setLong(1, siteId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String key = rows.getString(1);
                    SegmentRule rule = SegmentRule.parse(Json.readTree(rows.getString(4)));
                    byKey.put(key, new CustomSegmentDefinition(key, rows.getString(2), rows.getString(3), rule));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("custom segments of site " + siteId + " cannot be read", e);
        }
        return dependencyOrder(byKey);
    }

    /** Orders segments so that each comes after the custom segments it references. */
    static List<CustomSegmentDefinition> dependencyOrder(Map<String, CustomSegmentDefinition> byKey) {
        List<CustomSegmentDefinition> ordered = new ArrayList<>(byKey.size());
        Map<String, Boolean> visited = new LinkedHashMap<>();
        for (String key : byKey.keySet()) {
            visit(key, byKey, visited, ordered);
        }
        return ordered;
    }

    private static void visit(String key, Map<String, CustomSegmentDefinition> byKey, Map<String, Boolean> visited,
            List<CustomSegmentDefinition> ordered) {
        CustomSegmentDefinition definition = byKey.get(key);
        if (definition == null || visited.containsKey(key)) {
            return; // built-in reference, already placed, or a cycle (refused at write time)
        }
        visited.put(key, Boolean.TRUE);
        for (String referenced : definition.rule().referencedSegments()) {
            visit(referenced, byKey, visited, ordered);
        }
        ordered.add(definition);
    }
}

package io.segmentpress.segment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

/** Reads what the service wrote, for assertions. */
public final class SegmentDb {

    private final DataSource dataSource;

    public SegmentDb(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * segment key → current evidence for the visitor an anonymous id belongs to: the keys from
     * {@code segment_membership}, the evidence from the profile row's {@code segment_evidence},
     * which must name the same segments.
     */
    Map<String, String> memberships(long siteId, String anonymousId) {
        Map<String, String> keys = map("SELECT m.segment_key, m.evidence FROM segment_membership m JOIN visitor_identity i "
                + "ON i.visitor_id = m.visitor_id AND i.site_id = m.site_id WHERE i.site_id = ? AND i.kind = 'anon' AND i.external_id = ?",
                siteId, anonymousId);
        Map<String, String> current = SegmentEvidence.read(profile(siteId, anonymousId).get("segment_evidence"));
        if (current == null) {
            return keys;
        }
        if (!current.keySet().equals(keys.keySet())) {
            throw new AssertionError("the profile's evidence names " + current.keySet() + ", the memberships are " + keys.keySet());
        }
        return new TreeMap<>(current);
    }

    /** The visitor_profile row (column → value as text) of the visitor an anonymous id belongs to. */
    Map<String, String> profile(long siteId, String anonymousId) {
        List<Map<String, String>> rows = rows("SELECT p.* FROM visitor_profile p JOIN visitor_identity i ON i.visitor_id = p.visitor_id "
                + "WHERE i.site_id = ? AND i.kind = 'anon' AND i.external_id = ?", siteId, anonymousId);
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    public List<Map<String, String>> rows(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<Map<String, String>> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                ResultSetMetaData meta = result.getMetaData();
                while (result.next()) {
                    Map<String, String> row = new TreeMap<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        row.put(meta.getColumnLabel(c), result.getString(c));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public int update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public long count(String sql, Object... parameters) {
        return Long.parseLong(rows(sql, parameters).get(0).values().iterator().next());
    }

    private Map<String, String> map(String sql, Object... parameters) {
        Map<String, String> map = new TreeMap<>();
        for (Map<String, String> row : rows(sql, parameters)) {
            map.put(row.get("segment_key"), row.get("evidence"));
        }
        return map;
    }
}

package io.segmentpress.recommend;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Which segment keys a site has: the built-ins, an interest per content category, and its custom segments. */
@ApplicationScoped
class SegmentCatalog {

    static final Set<String> BUILT_IN = Set.of("vip", "loyal", "bargain-hunter", "one-time-buyer", "window-shopper",
            "lapsed-customer", "power-user", "regular", "occasional", "at-risk", "dormant", "stage:awareness",
            "stage:consideration", "stage:decision", "stage:retention", "stage:advocacy");

    @Inject
    DataSource dataSource;

    boolean exists(long siteId, String segmentKey, SiteModel model) {
        if (BUILT_IN.contains(segmentKey)) {
            return true;
        }
        if (segmentKey.startsWith("interest:") && model.hasTopic(CatalogItem.categoryKey(segmentKey.substring(9)))) {
            return true;
        }
        String sql = "SELECT 1 FROM custom_segment WHERE site_id = ? AND segment_key = ? "
                + "UNION ALL SELECT 1 FROM segment_membership WHERE site_id = ? AND segment_key = ? LIMIT 1";
        try (Connection connection = ReadConnections.open(dataSource); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, siteId);
            statement.setString(2, segmentKey);
            statement.setLong(3, siteId);
            statement.setString(4, segmentKey);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("looking up segment failed", e);
        }
    }
}

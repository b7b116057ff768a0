package io.segmentpress.brief;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/**
 * Lets the segment engine compute the planted site's segments through {@code POST /v1/segments/recompute}.
 * While the engine is not on this branch yet (the endpoint answers 404), it writes the memberships
 * the engine's documented rules give the planted groups, straight into its tables.
 */
final class SegmentsForTests {

    private static final Map<String, List<String>> PLANTED_MEMBERSHIPS = Map.of(
            "bargain", List.of("bargain-hunter", "regular", "stage:retention", "interest:recipes"),
            "power", List.of("power-user", "stage:retention", "interest:baking"),
            "considering", List.of("regular", "stage:consideration", "interest:espresso-machines"),
            "cakes", List.of("regular", "stage:retention", "interest:recipes"),
            "casual", List.of("occasional", "stage:awareness"));

    private SegmentsForTests() {
    }

    static void compute(PlantedBakery bakery, DataSource dataSource) throws Exception {
        int status = bakery.site.secret().body("{}").post("/v1/segments/recompute").statusCode();
        if (status == 200) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            for (Map.Entry<String, List<String>> group : bakery.groups.entrySet()) {
                List<String> keys = PLANTED_MEMBERSHIPS.get(group.getKey());
                String stage = keys.stream().filter(k -> k.startsWith("stage:")).findFirst().orElseThrow();
                for (String anonymousId : group.getValue()) {
                    try (PreparedStatement profile = connection.prepareStatement("""
                            INSERT INTO visitor_profile (visitor_id, site_id, first_seen, last_seen, orders, revenue, stage, computed_at)
                            SELECT i.visitor_id, i.site_id, MIN(e.occurred_at), MAX(e.occurred_at), SUM(e.name = 'Order Completed'),
                                   COALESCE(SUM(CASE WHEN e.name = 'Order Completed' THEN e.revenue END), 0), ?, NOW(3)
                            FROM visitor_identity i JOIN event e ON e.visitor_id = i.visitor_id
                            WHERE i.site_id = ? AND i.kind = 'anon' AND i.external_id = ?
                            GROUP BY i.visitor_id, i.site_id""")) {
                        profile.setString(1, stage);
                        profile.setLong(2, bakery.site.id);
                        profile.setString(3, anonymousId);
                        profile.executeUpdate();
                    }
                    for (String key : keys) {
                        try (PreparedStatement membership = connection.prepareStatement("""
                                INSERT INTO segment_membership (site_id, segment_key, visitor_id, since, evidence)
                                SELECT i.site_id, ?, i.visitor_id, p.first_seen, 'planted'
                                FROM visitor_identity i JOIN visitor_profile p ON p.visitor_id = i.visitor_id
                                WHERE i.site_id = ? AND i.kind = 'anon' AND i.external_id = ?""")) {
                            membership.setString(1, key);
                            membership.setLong(2, bakery.site.id);
                            membership.setString(3, anonymousId);
                            membership.executeUpdate();
                        }
                    }
                }
            }
        }
    }
}

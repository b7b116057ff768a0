package io.segmentpress.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.segment.SegmentFixtures.History;
import io.segmentpress.segment.SegmentFixtures.Site;

/** Custom segments are evaluated by the same engine, after the built-in ones, with the visitor's events and traits. */
@QuarkusTest
class CustomSegmentEvaluationTest {

    @Inject
    SegmentEngine engine;

    @Inject
    AppClock clock;

    @Inject
    DataSource dataSource;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void customRulesSeeEventsTraitsAndBuiltInSegments() throws SQLException {
        Site site = SegmentFixtures.createSite();
        define(site, "big-vips", "{\"all\":[{\"segment\":\"vip\"},{\"event\":\"Order Completed\",\"count\":{\"gte\":4},\"within\":\"P365D\"}]}");
        define(site, "pro-plan", "{\"trait\":\"plan\",\"eq\":\"pro\"}");
        define(site, "pro-big-vips", "{\"all\":[{\"segment\":\"pro-plan\"},{\"segment\":\"big-vips\"}]}");
        Cohort cohort = Cohort.at(clock);
        cohort.vip.identify(1, "vip-user", Map.of("plan", "pro"));
        cohort.newcomer.identify(0.005, "newcomer-user", Map.of("plan", "free"));
        cohort.sendTo(site);
        engine.drainDirty();
        SegmentDb db = new SegmentDb(dataSource);

        Map<String, String> vip = db.memberships(site.id(), cohort.vip.anonymousId);
        assertTrue(vip.containsKey("big-vips"), vip.toString());
        assertTrue(vip.containsKey("pro-plan"), vip.toString());
        assertTrue(vip.containsKey("pro-big-vips"), "custom segments see custom segments evaluated before them: " + vip);
        assertFalse(vip.get("big-vips").isBlank());
        Map<String, String> newcomer = db.memberships(site.id(), cohort.newcomer.anonymousId);
        assertFalse(newcomer.containsKey("pro-plan"));
        assertEquals(1, db.count("SELECT COUNT(*) FROM segment_membership WHERE site_id = ? AND segment_key = 'pro-big-vips'", site.id()));

        site.asSecret().get("/v1/segments/pro-plan").then().statusCode(200)
                .body("family", org.hamcrest.Matchers.equalTo("custom")).body("size", org.hamcrest.Matchers.equalTo(1));
        String membershipsBefore = db.rows("SELECT m.visitor_id, m.segment_key, m.evidence, p.segment_evidence FROM segment_membership m "
                + "JOIN visitor_profile p ON p.visitor_id = m.visitor_id WHERE m.site_id = ? ORDER BY m.visitor_id, m.segment_key", site.id()).toString();
        site.asSecret().post("/v1/segments/recompute").then().statusCode(200);
        assertEquals(membershipsBefore, db.rows("SELECT m.visitor_id, m.segment_key, m.evidence, p.segment_evidence FROM segment_membership m "
                + "JOIN visitor_profile p ON p.visitor_id = m.visitor_id WHERE m.site_id = ? ORDER BY m.visitor_id, m.segment_key", site.id()).toString(), "full recompute agrees with the drain for custom segments");
    }

    private void define(Site site, String key, String rule) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO custom_segment (site_id, segment_key, name, description, rule, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            Timestamp now = Timestamp.from(clock.now());
            statement.setLong(1, site.id());
            statement.setString(2, key);
            statement.setString(3, key);
            statement.setString(4, "test segment");
            statement.setString(5, rule);
            statement.setTimestamp(6, now);
            statement.setTimestamp(7, now);
            statement.executeUpdate();
        }
    }
}

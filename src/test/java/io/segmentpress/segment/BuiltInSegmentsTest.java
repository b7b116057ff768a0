package io.segmentpress.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.segment.SegmentFixtures.History;
import io.segmentpress.segment.SegmentFixtures.Site;

@QuarkusTest
class BuiltInSegmentsTest {

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

    private Cohort cohortOnNewSite(Site site) {
        Cohort cohort = Cohort.at(clock);
        cohort.sendTo(site);
        engine.drainDirty();
        return cohort;
    }

    @Test
    void everyKnownVisitorLandsInExactlyTheSegmentsTheDefinitionsSay() {
        Site site = SegmentFixtures.createSite();
        Cohort cohort = cohortOnNewSite(site);
        SegmentDb db = new SegmentDb(dataSource);

        assertSegments(db, site, cohort.vip, Map.of(
                "vip", "4 orders in 365 days; AOV 200.00 ≥ site p75 50.00",
                "loyal", "4 orders in 180 days; last order 10 days ago",
                "occasional", "active on 1 of the last 30 days",
                "stage:advocacy", "4 orders"));
        assertSegments(db, site, cohort.bargainHunter, Map.of(
                "bargain-hunter", "2 of 2 orders (100%) with a coupon or discount",
                "dormant", "no activity in 60 days (last active " + java.time.LocalDate.ofInstant(cohort.bargainHunter.daysAgo(70),
                        java.time.ZoneOffset.UTC) + ", 70 days ago)",
                "stage:retention", "2 orders"));
        assertSegments(db, site, cohort.windowShopper, Map.of(
                "window-shopper", "3 cart adds in 30 days; no order in 30 days",
                "regular", "active on 3 of the last 30 days",
                "stage:decision", "no order; Product Added 1 day ago"));
        assertSegments(db, site, cohort.oneTimeBuyer, Map.of(
                "one-time-buyer", "1 order, placed 40 days ago",
                "stage:retention", "1 order"));
        assertSegments(db, site, cohort.lapsedCustomer, Map.of(
                "lapsed-customer", "2 orders; none in 180 days (last 250 days ago)",
                "dormant", "no activity in 60 days (last active " + java.time.LocalDate.ofInstant(cohort.lapsedCustomer.daysAgo(250),
                        java.time.ZoneOffset.UTC) + ", 250 days ago)",
                "stage:retention", "2 orders"));
        assertSegments(db, site, cohort.powerReader, Map.of(
                "power-user", "active on 10 of the last 30 days",
                "interest:recipes", "100% of reading weight on recipes (10 reads)",
                "stage:consideration", "no order; 10 sessions"));
        assertSegments(db, site, cohort.atRiskReader, Map.of(
                "at-risk", "active on 6 days in the 30 before the last 30, on 0 in the last 30 (down 100%)",
                "interest:gardening", "100% of reading weight on gardening (6 reads)",
                "stage:consideration", "no order; 6 sessions"));
        assertSegments(db, site, cohort.newcomer, Map.of(
                "occasional", "active on 1 of the last 30 days",
                "stage:awareness", "1 session, no order"));
        assertSegments(db, site, cohort.productBrowser, Map.of(
                "occasional", "active on 1 of the last 30 days",
                "stage:consideration", "no order; searched products"));
    }

    @Test
    void profilesCarryOrdersRevenueAndExplainMissingRfmScores() {
        Site site = SegmentFixtures.createSite();
        Cohort cohort = cohortOnNewSite(site);
        SegmentDb db = new SegmentDb(dataSource);

        Map<String, String> vip = db.profile(site.id(), cohort.vip.anonymousId);
        assertEquals("4", vip.get("orders"));
        assertEquals("800.00", vip.get("revenue"));
        assertEquals("200.00", vip.get("average_order_value"));
        assertEquals("stage:advocacy", vip.get("stage"));
        assertNull(vip.get("rfm_r"));
        assertEquals("not scored: the site has 4 customers, RFM quintiles need at least 20", vip.get("rfm_evidence"));

        Map<String, String> oneTime = db.profile(site.id(), cohort.oneTimeBuyer.anonymousId);
        assertEquals("1", oneTime.get("orders"), "the fully refunded order does not count");
        assertEquals("50.00", oneTime.get("revenue"));

        Map<String, String> reader = db.profile(site.id(), cohort.powerReader.anonymousId);
        assertEquals("10", reader.get("sessions"));
        assertEquals("10", reader.get("page_views"));
        assertEquals("10", reader.get("active_days_30"));
        assertEquals("1200", reader.get("engaged_seconds"));
        assertEquals("90.00", reader.get("avg_scroll_depth"));
        assertEquals("[{\"category\":\"recipes\",\"share\":1.000,\"reads\":10}]", reader.get("interests"));
    }

    @Test
    void visitorsLeaveTimeWindowSegmentsWhenTimePassesWithoutNewEvents() {
        Site site = SegmentFixtures.createSite();
        Cohort cohort = cohortOnNewSite(site);
        SegmentDb db = new SegmentDb(dataSource);
        assertTrue(db.memberships(site.id(), cohort.windowShopper.anonymousId).containsKey("window-shopper"));

        clock.advance(Duration.ofDays(30));
        engine.recomputeSite(site.id());

        assertSegments(db, site, cohort.windowShopper, Map.of("stage:consideration", "no order; 3 sessions"));
        List<Map<String, String>> exits = db.rows("SELECT t.segment_key FROM segment_transition t JOIN visitor_identity i "
                + "ON i.visitor_id = t.visitor_id WHERE i.site_id = ? AND i.external_id = ? AND t.entered = FALSE ORDER BY t.segment_key",
                site.id(), cohort.windowShopper.anonymousId);
        assertEquals(List.of("regular", "stage:decision", "window-shopper"), exits.stream().map(row -> row.get("segment_key")).toList());
        // the newcomer's single visit is now 30 days old: no longer occasional, not yet dormant
        assertSegments(db, site, cohort.newcomer, Map.of("stage:awareness", "1 session, no order"));
    }

    @Test
    void incrementalDrainAgreesWithFullRecompute() {
        Site site = SegmentFixtures.createSite();
        cohortOnNewSite(site);
        SegmentDb db = new SegmentDb(dataSource);
        String memberships = "SELECT visitor_id, segment_key, evidence, since FROM segment_membership WHERE site_id = ? "
                + "ORDER BY visitor_id, segment_key";
        String profiles = "SELECT * FROM visitor_profile WHERE site_id = ? ORDER BY visitor_id";
        List<Map<String, String>> incrementalMemberships = db.rows(memberships, site.id());
        List<Map<String, String>> incrementalProfiles = withoutComputedAt(db.rows(profiles, site.id()));

        site.asSecret().post("/v1/segments/recompute").then().statusCode(200)
                .body("visitors", org.hamcrest.Matchers.equalTo(9))
                .body("memberships", org.hamcrest.Matchers.equalTo(incrementalMemberships.size()));

        assertEquals(incrementalMemberships, db.rows(memberships, site.id()));
        assertEquals(incrementalProfiles, withoutComputedAt(db.rows(profiles, site.id())));
        assertEquals(0, db.count("SELECT COUNT(*) FROM segment_transition WHERE site_id = ? AND entered = FALSE", site.id()),
                "a full recompute of unchanged visitors changes nothing");
    }

    @Test
    void newEventsMoveAVisitorAlongTheJourneyWithinOneDrain() {
        Site site = SegmentFixtures.createSite();
        SegmentDb db = new SegmentDb(dataSource);
        History visitor = new History(clock.now()).page(0.5, 11);
        site.send(visitor.events);
        engine.drainDirty();
        assertEquals(Set.of("occasional", "stage:awareness"), db.memberships(site.id(), visitor.anonymousId).keySet());

        visitor.events.clear();
        visitor.track(0.1, "Product Added", Map.of("product_id", "9"));
        site.send(visitor.events);
        engine.drainDirty();
        assertEquals(Set.of("occasional", "stage:decision"), db.memberships(site.id(), visitor.anonymousId).keySet());
        assertEquals(1, db.count("SELECT COUNT(*) FROM segment_transition t JOIN visitor_identity i ON i.visitor_id = t.visitor_id "
                + "WHERE i.site_id = ? AND i.external_id = ? AND t.segment_key = 'stage:awareness' AND t.entered = FALSE",
                site.id(), visitor.anonymousId));
    }

    @Test
    void evidenceFollowsNewEventsWhileMembershipRowsChangeOnlyOnEntryAndExit() {
        Site site = SegmentFixtures.createSite();
        SegmentDb db = new SegmentDb(dataSource);
        History reader = new History(clock.now()).page(5, 11).page(4, 12).page(3, 13);
        site.send(reader.events);
        engine.drainDirty();
        String rows = "SELECT m.segment_key, m.since, m.evidence FROM segment_membership m JOIN visitor_identity i "
                + "ON i.visitor_id = m.visitor_id WHERE i.site_id = ? AND i.external_id = ? ORDER BY m.segment_key";
        List<Map<String, String>> rowsBefore = db.rows(rows, site.id(), reader.anonymousId);
        Map<String, String> before = evidenceFromApi(site, reader.anonymousId);
        assertEquals("active on 3 of the last 30 days", before.get("regular"));
        assertEquals("no order; 3 sessions", before.get("stage:consideration"));
        long transitionsBefore = db.count("SELECT COUNT(*) FROM segment_transition WHERE site_id = ?", site.id());

        reader.events.clear();
        reader.page(2, 14);
        site.send(reader.events);
        engine.drainDirty();

        Map<String, String> after = evidenceFromApi(site, reader.anonymousId);
        assertEquals(before.keySet(), after.keySet(), "a fourth day keeps the reader in the same segments");
        assertEquals("active on 4 of the last 30 days", after.get("regular"), "the evidence follows the new event");
        assertEquals("no order; 4 sessions", after.get("stage:consideration"));
        assertEquals(after, db.memberships(site.id(), reader.anonymousId), "the API shows the profile row's evidence");
        assertEquals(rowsBefore, db.rows(rows, site.id(), reader.anonymousId), "membership rows stay as they were on entry");
        assertEquals(transitionsBefore, db.count("SELECT COUNT(*) FROM segment_transition WHERE site_id = ?", site.id()));

        // a profile written before the profile row held evidence: the evidence stored with each membership is shown
        db.update("UPDATE visitor_profile p JOIN visitor_identity i ON i.visitor_id = p.visitor_id SET p.segment_evidence = NULL "
                + "WHERE i.site_id = ? AND i.external_id = ?", site.id(), reader.anonymousId);
        assertEquals(before, evidenceFromApi(site, reader.anonymousId));
    }

    private static Map<String, String> evidenceFromApi(Site site, String anonymousId) {
        List<Map<String, Object>> segments = site.asSecret().queryParam("anonymousId", anonymousId).get("/v1/visitors").then()
                .statusCode(200).extract().jsonPath().getList("segments");
        Map<String, String> evidence = new java.util.TreeMap<>();
        segments.forEach(segment -> evidence.put((String) segment.get("key"), (String) segment.get("evidence")));
        return evidence;
    }

    @Test
    void mergedVisitorsLeaveOneProfileAndTheAbsorbedOneExitsItsSegments() {
        Site site = SegmentFixtures.createSite();
        SegmentDb db = new SegmentDb(dataSource);
        History phone = new History(clock.now()).page(2, 11).identify(2, "user-merge-1", Map.of("plan", "pro"));
        History laptop = new History(clock.now()).page(1, 12);
        site.send(phone.events);
        site.send(laptop.events);
        engine.drainDirty();
        assertEquals(2, db.count("SELECT COUNT(*) FROM visitor_profile WHERE site_id = ?", site.id()));

        laptop.events.clear();
        laptop.identify(0.5, "user-merge-1", Map.of());
        site.send(laptop.events);
        engine.drainDirty();

        assertEquals(1, db.count("SELECT COUNT(*) FROM visitor_profile WHERE site_id = ?", site.id()));
        assertEquals(1, db.count("SELECT COUNT(DISTINCT visitor_id) FROM segment_membership WHERE site_id = ?", site.id()));
        Map<String, String> profile = db.profile(site.id(), laptop.anonymousId);
        assertEquals("user-merge-1", profile.get("user_id"));
        assertEquals("2", profile.get("page_views"));
        assertEquals(db.memberships(site.id(), phone.anonymousId), db.memberships(site.id(), laptop.anonymousId));
    }

    private static List<Map<String, String>> withoutComputedAt(List<Map<String, String>> rows) {
        rows.forEach(row -> row.remove("computed_at"));
        return rows;
    }

    private static void assertSegments(SegmentDb db, Site site, History visitor, Map<String, String> expected) {
        assertEquals(new java.util.TreeMap<>(expected), db.memberships(site.id(), visitor.anonymousId));
    }
}

package io.segmentpress.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.segmentpress.common.ClusterLock;
import io.segmentpress.common.Json;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.segment.SegmentFixtures.Site;
import io.segmentpress.visitor.Drain;

/**
 * The time-window schedule evaluates a site in full only when its segments can have changed
 * without new events: a new day, changed settings or catalog, custom segments, or a pass older
 * than the maximum age. A membership removed behind the engine's back shows whether a pass ran.
 */
@QuarkusTest
class FullPassScheduleTest {

    private static final long HOUR = 3_600_000L;
    private static final SiteTime NOON = SiteTime.of(Instant.parse("2026-11-30T12:00:00Z"), ZoneId.of("UTC"));
    private static final long MAX_AGE = 6 * HOUR;

    @Inject
    SegmentEngine engine;

    @Inject
    AppClock clock;

    @Inject
    DataSource dataSource;

    @Inject
    ClusterLock clusterLock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aPassIsDueOnANewDayAfterAnInputChangedWithCustomSegmentsOrWhenTheLastIsOld() {
        long noon = NOON.now().toEpochMilli();
        FullPasses.Last earlierToday = new FullPasses.Last(NOON.today(), noon - HOUR, noon - 2 * HOUR);
        assertFalse(FullPasses.due(earlierToday, NOON, MAX_AGE, false));
        assertTrue(FullPasses.due(earlierToday, NOON, MAX_AGE, true), "custom segments may have windows shorter than a day");
        assertTrue(FullPasses.due(new FullPasses.Last(NOON.today() - 1, noon - HOUR, Long.MIN_VALUE), NOON, MAX_AGE, false),
                "the pass was on the site's previous day");
        assertTrue(FullPasses.due(new FullPasses.Last(NOON.today(), noon - MAX_AGE, Long.MIN_VALUE), NOON, MAX_AGE, false));
        assertFalse(FullPasses.due(new FullPasses.Last(NOON.today(), noon - MAX_AGE + 1, Long.MIN_VALUE), NOON, MAX_AGE, false));
        assertTrue(FullPasses.due(new FullPasses.Last(NOON.today(), noon - HOUR, noon - HOUR + 1), NOON, MAX_AGE, false),
                "settings or catalog changed after the pass started");
        assertTrue(FullPasses.due(new FullPasses.Last(NOON.today(), noon - HOUR, noon - HOUR - FullPasses.MARGIN_MILLIS), NOON, MAX_AGE, false),
                "a change just before the pass started may not have been committed when it read");
        assertFalse(FullPasses.due(new FullPasses.Last(NOON.today(), noon - HOUR, noon - HOUR - FullPasses.MARGIN_MILLIS - 1), NOON,
                MAX_AGE, false));
    }

    @Test
    void theScheduleSkipsASiteUntilItsDaySettingsCatalogOrCustomSegmentsChange() {
        // the scheduled run stays out, so every pass here is one this test asked for
        try (ClusterLock.Held schedule = clusterLock.tryAcquire(SegmentEngine.SCHEDULE_LOCK, Duration.ofMinutes(2)).orElseThrow()) {
            skipsUntilSomethingChanges();
        }
    }

    private void skipsUntilSomethingChanges() {
        Site site = SegmentFixtures.createSite();
        Cohort cohort = Cohort.at(clock);
        cohort.sendTo(site);
        Drain.site(engine, dataSource, site.id());
        SegmentDb db = new SegmentDb(dataSource);

        clock.advance(Duration.ofMinutes(1)); // the schedule's runs are minutes apart: a pass starts well after the changes before it
        assertTrue(engine.recomputeIfDue(site.id()), "the catalog was stored after the site was created");
        removeVip(db, site, cohort);
        assertFalse(engine.recomputeIfDue(site.id()), "nothing changed since the pass");
        assertFalse(db.memberships(site.id(), cohort.vip.anonymousId).containsKey("vip"));

        site.content(110, "post", "gardening", null);
        clock.advance(Duration.ofMinutes(1));
        assertTrue(engine.recomputeIfDue(site.id()), "a catalog change can move interests and stages");
        assertTrue(db.memberships(site.id(), cohort.vip.anonymousId).containsKey("vip"));

        removeVip(db, site, cohort);
        site.asSecret().body(Map.of("segments", Map.of("regular", Map.of("minActiveDays", 4)))).patch("/v1/site/settings").then()
                .statusCode(200);
        clock.advance(Duration.ofMinutes(1));
        assertTrue(engine.recomputeIfDue(site.id()), "changed thresholds");
        assertTrue(db.memberships(site.id(), cohort.vip.anonymousId).containsKey("vip"));
        assertFalse(engine.recomputeIfDue(site.id()));

        removeVip(db, site, cohort);
        clock.advance(Duration.ofDays(1));
        assertTrue(engine.recomputeIfDue(site.id()), "a new day moves every window");
        assertTrue(db.memberships(site.id(), cohort.vip.anonymousId).containsKey("vip"));
        assertFalse(engine.recomputeIfDue(site.id()));

        site.asSecret().body(Map.of("key", "repeat-buyers", "name", "Repeat buyers", "description", "two orders in 90 days",
                "rule", Json.readTree("{\"event\": \"Order Completed\", \"count\": {\"gte\": 2}, \"within\": \"P90D\"}")))
                .post("/v1/segments").then().statusCode(201);
        removeVip(db, site, cohort);
        assertTrue(engine.recomputeIfDue(site.id()), "custom rules may count in windows shorter than a day");
        assertTrue(engine.recomputeIfDue(site.id()));
        assertTrue(db.memberships(site.id(), cohort.vip.anonymousId).containsKey("vip"));
    }

    /** Removes the VIP's membership and the stored hash that says it is there, as if the row had never been written. */
    private void removeVip(SegmentDb db, Site site, Cohort cohort) {
        assertEquals(1, db.update("DELETE m FROM segment_membership m JOIN visitor_identity i ON i.visitor_id = m.visitor_id "
                + "WHERE i.site_id = ? AND i.external_id = ? AND m.segment_key = 'vip'", site.id(), cohort.vip.anonymousId));
        assertEquals(1, db.update("UPDATE visitor_profile p JOIN visitor_identity i ON i.visitor_id = p.visitor_id SET p.membership_hash = 0, "
                + "p.segment_evidence = JSON_REMOVE(p.segment_evidence, '$.vip') WHERE i.site_id = ? AND i.external_id = ?", site.id(),
                cohort.vip.anonymousId));
    }
}

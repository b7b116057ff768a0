package io.segmentpress.recommend;

import static io.segmentpress.recommend.RecommendFixtures.item;
import static io.segmentpress.recommend.RecommendFixtures.pageView;
import static io.segmentpress.recommend.RecommendFixtures.put;
import static io.segmentpress.recommend.RecommendFixtures.recommendations;
import static io.segmentpress.recommend.RecommendFixtures.send;
import static io.segmentpress.recommend.RecommendFixtures.track;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.segmentpress.TestSites;
import io.segmentpress.TestSites.TestSite;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.segment.SegmentDb;
import io.segmentpress.segment.SegmentEngine;

@QuarkusTest
class RecommendationExperimentTest {

    @Inject
    SegmentEngine engine;

    @Inject
    SiteModelStore models;

    @Inject
    ServedLog servedLog;

    @Inject
    AppClock clock;

    @Inject
    DataSource dataSource;

    private TestSite siteWithCatalog() {
        TestSite site = TestSites.create();
        Instant now = clock.now();
        for (int i = 1; i <= 12; i++) {
            put(site, i, item("Post " + i, "post", i % 2 == 0 ? "recipes" : "gardening", now.minus(Duration.ofDays(i * 3L))));
        }
        List<Map<String, Object>> events = new ArrayList<>();
        for (int reader = 0; reader < 6; reader++) {
            String anonymousId = TestSites.unique("crowd");
            events.add(pageView(anonymousId, 7, now.minus(Duration.ofHours(reader + 1))));
            events.add(pageView(anonymousId, 9, now.minus(Duration.ofHours(reader + 2))));
        }
        send(site, events);
        engine.drainDirty();
        models.rebuild(site.id());
        return site;
    }

    @Test
    void settingsAreReadAndChangedWithTheSecretKeyAndValidated() {
        TestSite site = TestSites.create();
        site.asSecret().get("/v1/recommendations/settings").then().statusCode(200).body("controlPercent", equalTo(0));
        site.asSecret().body(Map.of("controlPercent", 30)).put("/v1/recommendations/settings").then().statusCode(200)
                .body("controlPercent", equalTo(30));
        site.asSecret().get("/v1/recommendations/settings").then().statusCode(200).body("controlPercent", equalTo(30));
        site.asSecret().body(Map.of("controlPercent", 101)).put("/v1/recommendations/settings").then().statusCode(400)
                .body("errors.field", hasItem("controlPercent"));
        site.asSecret().body(Map.of()).put("/v1/recommendations/settings").then().statusCode(400);
        // the segment engine's settings in the same column are left alone
        site.asSecret().get("/v1/site").then().statusCode(200);
    }

    @Test
    void visitorsAreSplitDeterministicallyAndControlGetsTheMostPopularItems() {
        TestSite site = siteWithCatalog();
        site.asSecret().body(Map.of("controlPercent", 50)).put("/v1/recommendations/settings").then().statusCode(200);
        Map<String, String> variantOf = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            String visitor = "split-" + i;
            String variant = recommendations(site, "visitor=" + visitor).then().statusCode(200).extract().path("variant");
            variantOf.put(visitor, variant);
            if ("control".equals(variant)) {
                Response control = recommendations(site, "visitor=" + visitor + "&limit=2");
                assertEquals(List.of(7L, 9L), RecommendFixtures.contentIds(control), "most read first");
                control.then().body("items[0].reason", equalTo("Popular on this site"));
            }
        }
        // asked again, everybody keeps their variant
        variantOf.forEach((visitor, variant) -> recommendations(site, "visitor=" + visitor).then().body("variant", equalTo(variant)));
        long control = variantOf.values().stream().filter("control"::equals).count();
        assertTrue(control >= 15 && control <= 45, "about half in control: " + control);
        // the assignment is the documented hash, so every replica agrees
        variantOf.forEach((visitor, variant) -> assertEquals(variant, new ExperimentSettings(50).variantFor(site.id(), visitor)));

        site.asSecret().body(Map.of("controlPercent", 0)).put("/v1/recommendations/settings").then().statusCode(200);
        variantOf.keySet().forEach(visitor -> recommendations(site, "visitor=" + visitor).then().body("variant", equalTo("ranked")));
    }

    @Test
    void insightsAttributeViewsAndClicksToVariantAndSegmentThroughRecId() {
        TestSite site = siteWithCatalog();
        site.asSecret().body(Map.of("controlPercent", 50)).put("/v1/recommendations/settings").then().statusCode(200);
        Instant start = clock.now().minusSeconds(5);

        // find two visitors in each variant
        List<String> ranked = new ArrayList<>();
        List<String> control = new ArrayList<>();
        for (int i = 0; ranked.size() < 2 || control.size() < 2; i++) {
            String visitor = TestSites.unique("exp");
            (new ExperimentSettings(50).variantFor(site.id(), visitor).equals("control") ? control : ranked).add(visitor);
        }
        List<Map<String, Object>> events = new ArrayList<>();
        // ranked: 2 lists viewed, 3 distinct clicks (one repeated click does not count twice)
        for (String visitor : ranked.subList(0, 2)) {
            JsonPath list = recommendations(site, "visitor=" + visitor).then().statusCode(200).body("variant", equalTo("ranked")).extract().jsonPath();
            String recId = list.getString("recId");
            List<Long> ids = list.getList("items.contentId", Long.class);
            events.add(track(visitor, "Recommendation Viewed", Map.of("rec_id", recId, "post_ids", ids, "variant", "ranked"), clock.now()));
            events.add(track(visitor, "Recommendation Clicked", Map.of("rec_id", recId, "post_id", ids.get(0), "position", 1, "variant", "ranked"), clock.now()));
            if (visitor.equals(ranked.get(0))) {
                events.add(track(visitor, "Recommendation Clicked", Map.of("rec_id", recId, "post_id", ids.get(1), "position", 2, "variant", "ranked"), clock.now()));
                events.add(track(visitor, "Recommendation Clicked", Map.of("rec_id", recId, "post_id", ids.get(1), "position", 2, "variant", "ranked"), clock.now()));
            }
        }
        // control: 2 lists viewed, 1 click; the browser's claim of "ranked" does not move it
        for (String visitor : control.subList(0, 2)) {
            JsonPath list = recommendations(site, "visitor=" + visitor).then().statusCode(200).body("variant", equalTo("control")).extract().jsonPath();
            String recId = list.getString("recId");
            List<Long> ids = list.getList("items.contentId", Long.class);
            events.add(track(visitor, "Recommendation Viewed", Map.of("rec_id", recId, "post_ids", ids, "variant", "ranked"), clock.now()));
            if (visitor.equals(control.get(0))) {
                events.add(track(visitor, "Recommendation Clicked", Map.of("rec_id", recId, "post_id", ids.get(0), "position", 1, "variant", "ranked"), clock.now()));
            }
        }
        // a list served but never seen, and an event for a list nobody served
        recommendations(site, "visitor=" + ranked.get(0)).then().statusCode(200);
        events.add(track(ranked.get(0), "Recommendation Viewed", Map.of("rec_id", "rec_forged", "post_ids", List.of(1), "variant", "control"), clock.now()));
        send(site, events);
        servedLog.flush();

        JsonPath report = site.asSecret().get("/v1/insights/recommendations?from=" + start + "&to=" + clock.now().plusSeconds(5))
                .then().statusCode(200).extract().jsonPath();
        assertEquals(3, report.getLong("variants.find { it.variant == 'ranked' }.served"));
        assertEquals(2, report.getLong("variants.find { it.variant == 'ranked' }.impressions"));
        assertEquals(3, report.getLong("variants.find { it.variant == 'ranked' }.clicks"));
        assertEquals(1.5, report.getDouble("variants.find { it.variant == 'ranked' }.ctr"), 1e-9);
        assertEquals(2, report.getLong("variants.find { it.variant == 'control' }.impressions"));
        assertEquals(1, report.getLong("variants.find { it.variant == 'control' }.clicks"));
        assertEquals(0.5, report.getDouble("variants.find { it.variant == 'control' }.ctr"), 1e-9);
        assertEquals(1, report.getLong("unattributedEvents"));
        // every one of these visitors read nothing yet: each list counts for stage:awareness
        assertEquals(2, report.getLong("segments.find { it.segment == 'stage:awareness' && it.variant == 'control' }.impressions"));
        assertEquals(3, report.getLong("segments.find { it.segment == 'stage:awareness' && it.variant == 'ranked' }.clicks"));

        // another window shows none of it
        site.asSecret().get("/v1/insights/recommendations?from=2020-01-01&to=2020-01-31").then().statusCode(200)
                .body("variants[0].impressions", equalTo(0));
        site.asSecret().get("/v1/insights/recommendations?from=yesterday").then().statusCode(400).body("errors.field", hasItem("from"));
        site.asSecret().get("/v1/insights/recommendations?from=2026-02-01&to=2026-01-01").then().statusCode(400);
    }

    @Test
    void servedListsCountForEverySegmentTheyWereChosenForWithOneRowPerList() {
        TestSite site = TestSites.create();
        TestSite other = TestSites.create();
        Instant start = clock.now().minusSeconds(5);
        List<List<String>> audiences = List.of(List.of("bargain-hunters", "stage:consideration"), List.of("stage:consideration"),
                List.of("bargain-hunters", "power-readers", "stage:decision"), List.of("bargain-hunters", "stage:consideration"));
        for (List<String> segments : audiences) {
            servedLog.record(served(site.id(), "ranked", segments));
        }
        servedLog.record(served(site.id(), "control", List.of("stage:consideration")));
        servedLog.record(served(other.id(), "ranked", List.of("bargain-hunters", "stage:consideration")));
        servedLog.flush();
        // the same segment set served again, after its audience is known
        servedLog.record(served(site.id(), "ranked", List.of("stage:consideration")));
        servedLog.flush();

        JsonPath report = site.asSecret().get("/v1/insights/recommendations?from=" + start + "&to=" + clock.now().plusSeconds(5))
                .then().statusCode(200).extract().jsonPath();
        assertEquals(5, report.getLong("variants.find { it.variant == 'ranked' }.served"));
        assertEquals(1, report.getLong("variants.find { it.variant == 'control' }.served"));
        assertEquals(3, report.getLong("segments.find { it.segment == 'bargain-hunters' && it.variant == 'ranked' }.served"));
        assertEquals(4, report.getLong("segments.find { it.segment == 'stage:consideration' && it.variant == 'ranked' }.served"));
        assertEquals(1, report.getLong("segments.find { it.segment == 'stage:consideration' && it.variant == 'control' }.served"));
        assertEquals(1, report.getLong("segments.find { it.segment == 'power-readers' && it.variant == 'ranked' }.served"));
        assertEquals(1, report.getLong("segments.find { it.segment == 'stage:decision' && it.variant == 'ranked' }.served"));
        // the other site's list counts there only
        JsonPath otherReport = other.asSecret().get("/v1/insights/recommendations?from=" + start + "&to=" + clock.now().plusSeconds(5))
                .then().statusCode(200).extract().jsonPath();
        assertEquals(1, otherReport.getLong("segments.find { it.segment == 'bargain-hunters' && it.variant == 'ranked' }.served"));
        assertEquals(1, otherReport.getLong("variants.find { it.variant == 'ranked' }.served"));

        // one row per list; each distinct segment set of a site stored once
        SegmentDb db = new SegmentDb(dataSource);
        assertEquals(6, db.count("SELECT COUNT(*) FROM recommendation_served WHERE site_id = ?", site.id()));
        assertEquals(3, db.count("SELECT COUNT(*) FROM recommendation_audience WHERE site_id = ?", site.id()));
        assertEquals(1, db.count("SELECT COUNT(*) FROM recommendation_audience WHERE site_id = ?", other.id()));
        assertEquals(0, db.count("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() "
                + "AND table_name = 'recommendation_served' AND column_name = 'visitor_id'"),
                "the served log keeps nothing about the visitor");
    }

    private ServedLog.Served served(long siteId, String variant, List<String> segments) {
        return new ServedLog.Served(RecommendationService.newRecId(clock.now().toEpochMilli()), siteId, variant, 5, clock.now(), segments);
    }

    @Test
    void recIdsAreUniqueAndSortByServingTime() {
        long now = clock.now().toEpochMilli();
        Set<String> seen = new HashSet<>();
        String previous = null;
        for (int i = 0; i < 20_000; i++) {
            long millis = now + i / 4; // several ids per millisecond
            String id = RecommendationService.newRecId(millis);
            assertTrue(id.matches("rec_[0-9A-HJKMNP-TV-Z]{26}"), id);
            assertTrue(seen.add(id), "duplicate " + id);
            if (previous != null && i % 4 == 0) {
                assertTrue(previous.compareTo(id) < 0, previous + " sorts before " + id);
            }
            previous = id;
        }
        assertTrue(RecommendationService.newRecId(1L << 40).compareTo(RecommendationService.newRecId((1L << 40) + 1)) < 0);
        assertTrue(RecommendationService.newRecId(0x1FFFFFFFFL).compareTo(RecommendationService.newRecId(0x200000000L)) < 0);
    }
}

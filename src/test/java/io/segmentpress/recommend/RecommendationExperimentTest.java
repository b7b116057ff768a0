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
    RecIds recIds;

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
        // a list served but never seen, and events for lists nobody served: made up, a ranked list's id altered to say
        // control, and a list of another site
        String unseen = recommendations(site, "visitor=" + ranked.get(0)).then().statusCode(200).extract().path("recId");
        events.add(track(ranked.get(0), "Recommendation Viewed", Map.of("rec_id", "rec_forged", "post_ids", List.of(1), "variant", "control"), clock.now()));
        events.add(track(ranked.get(0), "Recommendation Viewed", Map.of("rec_id", withVariant(unseen, '1'), "post_ids", List.of(1),
                "variant", "control"), clock.now()));
        TestSite other = siteWithCatalog();
        String othersList = recommendations(other, "visitor=" + ranked.get(0)).then().statusCode(200).extract().path("recId");
        events.add(track(ranked.get(0), "Recommendation Viewed", Map.of("rec_id", othersList, "post_ids", List.of(1), "variant", "ranked"),
                clock.now()));
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
        assertEquals(3, report.getLong("unattributedEvents"));
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
    void theReportRangeHoldsToTheMillisecond() {
        TestSite site = TestSites.create();
        Instant viewed = clock.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusMillis(700);
        send(site, List.of(track(TestSites.unique("v"), "Recommendation Viewed", Map.of("rec_id", "rec_made_up", "post_ids", List.of(1)),
                viewed)));
        String path = "/v1/insights/recommendations";
        Instant dayBefore = viewed.minus(Duration.ofDays(1));
        site.asSecret().get(path + "?from=" + dayBefore + "&to=" + viewed.plusMillis(1)).then().statusCode(200)
                .body("unattributedEvents", equalTo(1));
        site.asSecret().get(path + "?from=" + dayBefore + "&to=" + viewed.plusNanos(1_000)).then().statusCode(200)
                .body("unattributedEvents", equalTo(1));
        site.asSecret().get(path + "?from=" + dayBefore + "&to=" + viewed).then().statusCode(200)
                .body("unattributedEvents", equalTo(0)); // the end is exclusive
        site.asSecret().get(path + "?from=" + viewed + "&to=" + viewed.plusSeconds(60)).then().statusCode(200)
                .body("unattributedEvents", equalTo(1));
        site.asSecret().get(path + "?from=" + viewed.plusNanos(1_000) + "&to=" + viewed.plusSeconds(60)).then().statusCode(200)
                .body("unattributedEvents", equalTo(0));
    }

    @Test
    void servedListsCountForEverySegmentTheyWereChosenForInOneCounterPerPeriodAudienceAndVariant() {
        TestSite site = TestSites.create();
        TestSite other = TestSites.create();
        Instant start = clock.now().minusSeconds(5);
        Instant servedAt = clock.now();
        List<List<String>> audiences = List.of(List.of("bargain-hunters", "stage:consideration"), List.of("stage:consideration"),
                List.of("bargain-hunters", "power-readers", "stage:decision"), List.of("bargain-hunters", "stage:consideration"));
        for (List<String> segments : audiences) {
            record(site.id(), "ranked", segments, servedAt);
        }
        record(site.id(), "control", List.of("stage:consideration"), servedAt);
        record(other.id(), "ranked", List.of("bargain-hunters", "stage:consideration"), servedAt);
        servedLog.flush();
        // the same segment set served again, after its audience is known
        record(site.id(), "ranked", List.of("stage:consideration"), servedAt);
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
        // a range that ends before the period began counts none of it
        site.asSecret().get("/v1/insights/recommendations?from=" + servedAt.minus(Duration.ofHours(2)) + "&to="
                + servedAt.minus(Duration.ofMinutes(16))).then().statusCode(200)
                .body("variants.find { it.variant == 'ranked' }.served", equalTo(0));

        // 6 lists of one period in 4 counters (3 audiences ranked, 1 control); each distinct segment set of a site stored once
        SegmentDb db = new SegmentDb(dataSource);
        assertEquals(6, db.count("SELECT SUM(lists) FROM recommendation_served_count WHERE site_id = ?", site.id()));
        assertEquals(4, db.count("SELECT COUNT(*) FROM recommendation_served_count WHERE site_id = ?", site.id()));
        assertEquals(3, db.count("SELECT COUNT(*) FROM recommendation_audience WHERE site_id = ?", site.id()));
        assertEquals(1, db.count("SELECT COUNT(*) FROM recommendation_audience WHERE site_id = ?", other.id()));
    }

    @Test
    void listsServedThroughTheApiAreCountedWithoutARowEach() {
        TestSite site = siteWithCatalog();
        Instant start = clock.now().minusSeconds(5);
        for (int i = 0; i < 4; i++) {
            recommendations(site, "visitor=" + TestSites.unique("counted")).then().statusCode(200);
        }
        servedLog.flush();
        SegmentDb db = new SegmentDb(dataSource);
        assertEquals(4, db.count("SELECT SUM(lists) FROM recommendation_served_count WHERE site_id = ?", site.id()));
        assertEquals(0, db.count("SELECT COUNT(*) FROM recommendation_served WHERE site_id = ?", site.id()));
        site.asSecret().get("/v1/insights/recommendations?from=" + start + "&to=" + clock.now().plusSeconds(5)).then().statusCode(200)
                .body("variants.find { it.variant == 'ranked' }.served", equalTo(4));
    }

    @Test
    void eventsQuotingListsStoredBeforeRecIdsWereSignedAreStillAttributed() throws Exception {
        TestSite site = TestSites.create();
        Instant start = clock.now().minusSeconds(5);
        String keys = "bargain-hunters\nstage:decision";
        long audienceId;
        try (java.sql.Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (java.sql.PreparedStatement audience = connection.prepareStatement(
                    "INSERT INTO recommendation_audience (site_id, keys_hash, segment_keys) VALUES (?, ?, ?)",
                    java.sql.Statement.RETURN_GENERATED_KEYS)) {
                audience.setLong(1, site.id());
                audience.setBytes(2, io.segmentpress.common.Hashes.sha256(keys));
                audience.setString(3, keys);
                audience.executeUpdate();
                try (java.sql.ResultSet generated = audience.getGeneratedKeys()) {
                    generated.next();
                    audienceId = generated.getLong(1);
                }
            }
            for (String segment : keys.split("\n")) {
                try (java.sql.PreparedStatement row = connection.prepareStatement(
                        "INSERT INTO recommendation_audience_segment (audience_id, segment_key) VALUES (?, ?)")) {
                    row.setLong(1, audienceId);
                    row.setString(2, segment);
                    row.executeUpdate();
                }
            }
            try (java.sql.PreparedStatement served = connection.prepareStatement("INSERT INTO recommendation_served "
                    + "(rec_id, site_id, audience_id, variant, item_count, served_at) VALUES (?, ?, ?, 'control', 5, UTC_TIMESTAMP(3))")) {
                served.setString(1, "rec_" + site.id() + "LEGACY");
                served.setLong(2, site.id());
                served.setLong(3, audienceId);
                served.executeUpdate();
            }
        }
        String visitor = TestSites.unique("legacy");
        send(site, List.of(track(visitor, "Recommendation Viewed", Map.of("rec_id", "rec_" + site.id() + "LEGACY", "post_ids", List.of(3),
                "variant", "ranked"), clock.now())));
        JsonPath report = site.asSecret().get("/v1/insights/recommendations?from=" + start + "&to=" + clock.now().plusSeconds(5))
                .then().statusCode(200).extract().jsonPath();
        assertEquals(1, report.getLong("variants.find { it.variant == 'control' }.impressions"));
        assertEquals(0, report.getLong("variants.find { it.variant == 'ranked' }.impressions"));
        assertEquals(1, report.getLong("segments.find { it.segment == 'bargain-hunters' && it.variant == 'control' }.impressions"));
        assertEquals(0, report.getLong("unattributedEvents"));
    }

    private void record(long siteId, String variant, List<String> segments, Instant servedAt) {
        servedLog.record(siteId, variant, ServedLog.audienceOf(segments), segments, servedAt);
    }

    /** The rec id with its variant character replaced, as a browser that wants another variant's numbers might. */
    private static String withVariant(String recId, char variant) {
        return recId.substring(0, 14) + variant + recId.substring(15);
    }

    @Test
    void recIdsAreUniqueSortByServingTimeAndSayTheirListOnlyToTheirSite() {
        long now = clock.now().toEpochMilli();
        long audience = ServedLog.audienceOf(List.of("bargain-hunters", "stage:decision"));
        Set<String> seen = new HashSet<>();
        String previous = null;
        for (int i = 0; i < 20_000; i++) {
            long millis = now + i / 4; // several ids per millisecond
            String id = recIds.issue(7, millis, "ranked", audience);
            assertTrue(id.matches("rec_[0-9A-HJKMNP-TV-Z]{44}"), id);
            assertTrue(seen.add(id), "duplicate " + id);
            if (previous != null && i % 4 == 0) {
                assertTrue(previous.compareTo(id) < 0, previous + " sorts before " + id);
            }
            previous = id;
        }
        assertTrue(recIds.issue(7, 1L << 40, "control", 0).compareTo(recIds.issue(7, (1L << 40) + 1, "ranked", -1)) < 0);
        assertTrue(recIds.issue(7, 0x1FFFFFFFFL, "ranked", audience).compareTo(recIds.issue(7, 0x200000000L, "ranked", audience)) < 0);

        String ranked = recIds.issue(7, now, "ranked", audience);
        assertEquals(new RecIds.Issued(now, "ranked", audience), recIds.read(7, ranked).orElseThrow());
        String control = recIds.issue(7, now, "control", 0);
        assertEquals(new RecIds.Issued(now, "control", 0), recIds.read(7, control).orElseThrow());
        long highBit = Long.MIN_VALUE | 12345;
        assertEquals(highBit, recIds.read(7, recIds.issue(7, now, "ranked", highBit)).orElseThrow().audience());

        assertTrue(recIds.read(8, ranked).isEmpty(), "another site's id");
        assertTrue(recIds.read(7, withVariant(ranked, '1')).isEmpty(), "the variant altered");
        for (int at = 4; at < ranked.length(); at++) {
            char changed = ranked.charAt(at) == '0' ? '1' : '0';
            String altered = ranked.substring(0, at) + changed + ranked.substring(at + 1);
            assertTrue(recIds.read(7, altered).isEmpty(), "character " + at + " altered: " + altered);
        }
        for (String malformed : List.of("", "rec_", ranked.substring(0, ranked.length() - 1), ranked + "0", ranked.toLowerCase(),
                "xyz_" + ranked.substring(4), ranked.substring(0, 20) + "I" + ranked.substring(21), ranked.substring(0, 20) + "é" + ranked.substring(21))) {
            assertTrue(recIds.read(7, malformed).isEmpty(), malformed);
        }
    }
}

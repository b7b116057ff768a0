package io.segmentpress.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.segmentpress.common.Json;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.segment.SegmentFixtures.History;
import io.segmentpress.segment.SegmentFixtures.Site;

/**
 * Posts the content catalog does not know take their categories from the page calls that name
 * them: ingest records each post's latest, and the engine reads one row per post.
 */
@QuarkusTest
class ObservedCategoriesTest {

    @Inject
    SegmentEngine engine;

    @Inject
    AppClock clock;

    @Inject
    DataSource dataSource;

    @Test
    void readsOfUncataloguedPostsCountTowardTheCategoriesTheirPageCallsNamedLast() {
        Site site = SegmentFixtures.createSite();
        SegmentDb db = new SegmentDb(dataSource);
        History reader = new History(clock.now());
        for (int day = 3; day >= 1; day--) {
            page(reader, day, 501, List.of("espresso"));
            page(reader, day - 0.5, 502, List.of(Map.of("slug", "tea", "name", "Tea")));
        }
        page(reader, 0.9, 503, null); // no categories: nothing recorded
        sendAndDrain(site, reader);

        assertEquals(Map.of(501L, List.of("espresso"), 502L, List.of("tea")), observed(db, site));
        assertEquals(Map.of("espresso", 3, "tea", 3), interestReads(db, site, reader));

        // a backfilled page call older than the recorded one does not replace it, and its read counts as espresso
        page(reader, 10, 501, List.of("old-name"));
        sendAndDrain(site, reader);
        assertEquals(List.of("espresso"), observed(db, site).get(501L));
        assertEquals(Map.of("espresso", 4, "tea", 3), interestReads(db, site, reader));

        // the post is re-categorized: every read of it now counts toward the new category, as for catalogued posts
        page(reader, 0.1, 501, List.of("coffee"));
        sendAndDrain(site, reader);
        assertEquals(List.of("coffee"), observed(db, site).get(501L));
        assertEquals(Map.of("coffee", 5, "tea", 3), interestReads(db, site, reader));
        assertTrue(db.memberships(site.id(), reader.anonymousId).containsKey("interest:coffee"));

        // the full recompute reads the same rows and agrees with the drain
        String profile = "SELECT interests, profile_hash, membership_hash FROM visitor_profile WHERE site_id = ?";
        List<Map<String, String>> drained = db.rows(profile, site.id());
        engine.recomputeSite(site.id());
        assertEquals(drained, db.rows(profile, site.id()));

        // reads stored before any categories were recorded for their post fall back to their own page call's
        db.update("DELETE FROM content_observed WHERE site_id = ?", site.id());
        engine.recomputeSite(site.id());
        assertEquals(Map.of("espresso", 3, "old-name", 1, "coffee", 1, "tea", 3), interestReads(db, site, reader));
    }

    @Test
    void theCatalogsCategoriesWinOverRecordedOnes() {
        Site site = SegmentFixtures.createSite();
        SegmentDb db = new SegmentDb(dataSource);
        site.content(601, "post", "recipes", null);
        History reader = new History(clock.now());
        for (int day = 3; day >= 1; day--) {
            page(reader, day, 601, List.of("not-the-catalogs"));
        }
        sendAndDrain(site, reader);
        assertEquals(Map.of("recipes", 3), interestReads(db, site, reader));
    }

    private void sendAndDrain(Site site, History history) {
        site.send(history.events);
        history.events.clear();
        engine.drainDirty();
    }

    private static void page(History history, double daysAgo, long postId, List<?> categories) {
        history.page(daysAgo, postId);
        if (categories != null) {
            Map<String, Object> event = history.events.get(history.events.size() - 1);
            Map<String, Object> properties = new HashMap<>();
            properties.put("post_id", postId);
            properties.put("categories", categories);
            event.put("properties", properties);
        }
    }

    private static Map<Long, List<String>> observed(SegmentDb db, Site site) {
        Map<Long, List<String>> observed = new TreeMap<>();
        for (Map<String, String> row : db.rows("SELECT post_id, categories FROM content_observed WHERE site_id = ?", site.id())) {
            observed.put(Long.parseLong(row.get("post_id")), Json.readStringList(row.get("categories")));
        }
        return observed;
    }

    /** Category → reads, from the visitor's profile. */
    private static Map<String, Integer> interestReads(SegmentDb db, Site site, History visitor) {
        Map<String, Integer> reads = new TreeMap<>();
        for (JsonNode interest : Json.readTree(db.profile(site.id(), visitor.anonymousId).get("interests"))) {
            reads.put(interest.get("category").asText(), interest.get("reads").asInt());
        }
        return reads;
    }
}

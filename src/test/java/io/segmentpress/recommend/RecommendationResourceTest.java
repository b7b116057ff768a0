package io.segmentpress.recommend;

import static io.segmentpress.recommend.RecommendFixtures.contentIds;
import static io.segmentpress.recommend.RecommendFixtures.item;
import static io.segmentpress.recommend.RecommendFixtures.pageView;
import static io.segmentpress.recommend.RecommendFixtures.put;
import static io.segmentpress.recommend.RecommendFixtures.recommendations;
import static io.segmentpress.recommend.RecommendFixtures.send;
import static io.segmentpress.recommend.RecommendFixtures.track;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.segmentpress.TestSites;
import io.segmentpress.TestSites.TestSite;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.segment.SegmentEngine;

@QuarkusTest
class RecommendationResourceTest {

    private static final Duration DAY = Duration.ofDays(1);

    @Inject
    SegmentEngine engine;

    @Inject
    SiteModelStore models;

    @Inject
    AppClock clock;

    /** A recipe site: a context post, recipes, kitchen products (two on sale), deep technique guides, gardening, a draft. */
    private TestSite recipeSite() {
        TestSite site = TestSites.create();
        Instant now = clock.now();
        put(site, 100, item("Weeknight pasta", "post", "recipes", now.minus(DAY.multipliedBy(40))));
        for (int i = 1; i <= 6; i++) {
            put(site, 100 + i, item("Recipe " + i, "post", "recipes", now.minus(DAY.multipliedBy(10L * i))));
        }
        for (int i = 1; i <= 4; i++) {
            Map<String, Object> product = item("Chef knife " + i, "product", "kitchen-gear", now.minus(DAY.multipliedBy(20L + i)));
            product.put("price", 40 + i);
            product.put("onSale", i <= 2);
            put(site, 200 + i, product);
        }
        for (int i = 1; i <= 3; i++) {
            Map<String, Object> guide = item("The complete guide to technique " + i, "post", "techniques", now.minus(DAY.multipliedBy(30L + i)));
            guide.put("wordCount", 3200);
            put(site, 500 + i, guide);
        }
        for (int i = 1; i <= 5; i++) {
            put(site, 400 + i, item("Garden post " + i, "post", "gardening", now.minus(DAY.multipliedBy(5L * i))));
        }
        Map<String, Object> draft = item("Unfinished recipe", "post", "recipes", now.minus(DAY));
        draft.put("status", "draft");
        put(site, 700, draft);
        return site;
    }

    /** Other readers make recipes 101–103 the popular ones. */
    private void crowdReadsRecipes(TestSite site) {
        List<Map<String, Object>> events = new ArrayList<>();
        Instant now = clock.now();
        for (int reader = 0; reader < 12; reader++) {
            String anonymousId = TestSites.unique("crowd");
            for (long post : new long[] { 100, 101, 102, 103 }) {
                events.add(pageView(anonymousId, post, now.minus(Duration.ofHours(reader + post % 7))));
            }
        }
        send(site, events);
    }

    private void settle(TestSite site) {
        engine.drainDirty();
        models.rebuild(site.id());
    }

    @Test
    void bargainHunterNewReaderAndPowerUserOnTheSamePageGetDifferentFittingLists() {
        TestSite site = recipeSite();
        crowdReadsRecipes(site);
        Instant now = clock.now();

        String bargainHunter = TestSites.unique("bargain");
        send(site, List.of(
                track(bargainHunter, "Order Completed", Map.of("order_id", TestSites.unique("o"), "total", 30, "coupon", "SAVE10"), now.minus(DAY.multipliedBy(20))),
                track(bargainHunter, "Order Completed", Map.of("order_id", TestSites.unique("o"), "total", 25, "discount", 5), now.minus(DAY.multipliedBy(5))),
                pageView(bargainHunter, 100, now.minus(Duration.ofMinutes(1)))));

        String newReader = TestSites.unique("new");
        send(site, List.of(pageView(newReader, 100, now.minus(Duration.ofMinutes(1)))));

        String powerUser = TestSites.unique("power");
        List<Map<String, Object>> powerReads = new ArrayList<>();
        long[] read = { 101, 102, 103, 104, 501, 105, 401, 402 };
        for (int day = 0; day < read.length; day++) {
            powerReads.add(pageView(powerUser, read[day], now.minus(DAY.multipliedBy(day + 1))));
        }
        powerReads.add(pageView(powerUser, 100, now.minus(Duration.ofMinutes(1))));
        send(site, powerReads);
        settle(site);

        Response bargain = recommendations(site, "visitor=" + bargainHunter + "&context=100&limit=5");
        bargain.then().statusCode(200).body("segments", hasItem("bargain-hunter"));
        Response fresh = recommendations(site, "visitor=" + newReader + "&context=100&limit=5");
        fresh.then().statusCode(200).body("stage", equalTo("stage:awareness"));
        Response power = recommendations(site, "visitor=" + powerUser + "&context=100&limit=5");
        power.then().statusCode(200).body("segments", hasItem("power-user"));

        List<Long> bargainIds = contentIds(bargain);
        List<Long> freshIds = contentIds(fresh);
        List<Long> powerIds = contentIds(power);
        assertNotEquals(bargainIds, freshIds);
        assertNotEquals(bargainIds, powerIds);
        assertNotEquals(freshIds, powerIds);

        // the bargain hunter is shown what is on sale, first
        // the bargain hunter is shown what is on sale near the top; the new reader is not
        int onSale = bargainIds.contains(201L) ? bargainIds.indexOf(201L) : bargainIds.indexOf(202L);
        assertTrue(onSale >= 0 && onSale < 2, "an on-sale product in the first two: " + bargainIds);
        assertEquals("On sale now", bargain.jsonPath().getString("items[" + onSale + "].reason"));
        assertFalse(freshIds.subList(0, 2).contains(201L) || freshIds.subList(0, 2).contains(202L), freshIds.toString());
        // the new reader gets the recipes everyone reads, next to the recipe they are on
        assertTrue(List.of(101L, 102L, 103L).contains(freshIds.get(0)), "a popular recipe first: " + freshIds);
        assertTrue(freshIds.stream().filter(id -> id >= 101 && id <= 103).count() >= 2, "the popular recipes: " + freshIds);
        // the power user gets nothing already read, and the in-depth guides they have not read yet
        for (long id : read) {
            assertFalse(powerIds.contains(id), "already read " + id + ": " + powerIds);
        }
        assertTrue(powerIds.contains(502L) || powerIds.contains(503L), "in-depth guides: " + powerIds);
        for (Response response : List.of(bargain, fresh, power)) {
            assertFalse(contentIds(response).contains(100L), "never the page itself");
            assertFalse(contentIds(response).contains(700L), "never a draft");
            response.jsonPath().getList("items.reason", String.class).forEach(reason -> assertFalse(reason.isBlank()));
        }
    }

    @Test
    void neverRecommendsReadContextExcludedOrUnpublishedContent() {
        TestSite site = recipeSite();
        crowdReadsRecipes(site);
        String reader = TestSites.unique("reader");
        Instant now = clock.now();
        send(site, List.of(pageView(reader, 101, now.minus(DAY)), pageView(reader, 102, now.minus(Duration.ofHours(2)))));
        settle(site);

        List<Long> ids = contentIds(recommendations(site, "visitor=" + reader + "&context=100&exclude=103,201&limit=20"));
        assertFalse(ids.isEmpty());
        for (long never : new long[] { 100, 101, 102, 103, 201, 700 }) {
            assertFalse(ids.contains(never), never + " in " + ids);
        }
        assertEquals(ids.size(), new HashSet<>(ids).size(), "no duplicates");

        // unpublishing and deleting take effect on the very next list
        Map<String, Object> unpublished = item("Recipe 4", "post", "recipes", now.minus(DAY.multipliedBy(40)));
        unpublished.put("status", "private");
        put(site, 104, unpublished);
        site.asSecret().delete("/v1/content/105").then().statusCode(204);
        List<Long> after = contentIds(recommendations(site, "visitor=" + reader + "&limit=20"));
        assertFalse(after.contains(104L), "unpublished: " + after);
        assertFalse(after.contains(105L), "deleted: " + after);

        // and publishing brings an item in
        put(site, 800, item("Brand new recipe", "post", "recipes", now.minus(Duration.ofHours(1))));
        List<Long> withNew = contentIds(recommendations(site, "visitor=" + reader + "&limit=20"));
        assertTrue(withNew.contains(800L), "published: " + withNew);
    }

    @Test
    void typeFilterAndLimitAreRespected() {
        TestSite site = recipeSite();
        Response products = recommendations(site, "visitor=" + TestSites.unique("v") + "&type=product&limit=3");
        products.then().statusCode(200);
        assertEquals(3, contentIds(products).size());
        assertTrue(contentIds(products).stream().allMatch(id -> id > 200 && id < 300), contentIds(products).toString());
        assertEquals(5, contentIds(recommendations(site, "visitor=" + TestSites.unique("v"))).size(), "default limit");
    }

    @Test
    void unknownVisitorGetsPopularAndFreshContentOnTheContextTopic() {
        TestSite site = recipeSite();
        crowdReadsRecipes(site);
        settle(site);
        Response response = recommendations(site, "visitor=" + TestSites.unique("stranger") + "&context=104&limit=5");
        response.then().statusCode(200)
                .header("Cache-Control", equalTo("private, max-age=60"))
                .body("segments", equalTo(List.of("stage:awareness")))
                .body("stage", equalTo("stage:awareness"))
                .body("variant", equalTo("ranked"))
                .body("recId", org.hamcrest.Matchers.startsWith("rec_"));
        List<Long> ids = contentIds(response);
        assertEquals(5, ids.size());
        assertTrue(ids.get(0) >= 101 && ids.get(0) <= 103, "a popular recipe first: " + ids);
        assertTrue(ids.stream().filter(id -> id >= 100 && id <= 106).count() >= 2, "recipes: " + ids);
        assertFalse(ids.contains(104L));
    }

    @Test
    void newSiteWithoutContentAnswersAnEmptyListAndOneWithContentNever() {
        TestSite empty = TestSites.create();
        recommendations(empty, "visitor=" + TestSites.unique("v")).then().statusCode(200).body("items.size()", equalTo(0));

        TestSite site = TestSites.create();
        put(site, 1, item("The only post", "post", "news", clock.now().minus(DAY.multipliedBy(300))));
        recommendations(site, "visitor=" + TestSites.unique("v")).then().statusCode(200).body("items.contentId", equalTo(List.of(1)));
    }

    @Test
    void rejectsInvalidParametersWithTheFieldNamed() {
        TestSite site = TestSites.create();
        for (String query : List.of("visitor=a&limit=0", "visitor=a&limit=21", "visitor=a&limit=five")) {
            recommendations(site, query).then().statusCode(400).body("errors.field", hasItem("limit"));
        }
        recommendations(site, "limit=5").then().statusCode(400).body("errors.field", hasItem("visitor"));
        recommendations(site, "visitor=a&context=abc").then().statusCode(400).body("errors.field", hasItem("context"));
        recommendations(site, "visitor=a&exclude=1,x").then().statusCode(400).body("errors.field", hasItem("exclude"));
        recommendations(site, "visitor=a&type=video").then().statusCode(400).body("errors.field", hasItem("type"));
    }

    @Test
    void segmentRecommendationsFitTheSegmentAndUnknownSegmentsAre404() {
        TestSite site = recipeSite();
        crowdReadsRecipes(site);
        settle(site);
        List<Long> bargain = site.asSecret().get("/v1/segments/bargain-hunter/recommendations?limit=3").then().statusCode(200)
                .body("segment", equalTo("bargain-hunter")).extract().jsonPath().getList("items.contentId", Long.class);
        assertTrue(List.of(201L, 202L).contains(bargain.get(0)), "on sale first: " + bargain);
        List<Long> recipes = site.asSecret().get("/v1/segments/interest:recipes/recommendations").then().statusCode(200)
                .extract().jsonPath().getList("items.contentId", Long.class);
        assertTrue(recipes.get(0) >= 100 && recipes.get(0) <= 106, recipes.toString());
        assertFalse(recipes.contains(700L));
        site.asSecret().get("/v1/segments/no-such-segment/recommendations").then().statusCode(404);
        site.asSecret().get("/v1/segments/interest:astronomy/recommendations").then().statusCode(404);
        site.asSecret().get("/v1/segments/vip/recommendations?limit=50").then().statusCode(400);
    }

    @Test
    void recommendationsReflectNewReadsImmediately() {
        TestSite site = recipeSite();
        String reader = TestSites.unique("reader");
        List<Long> before = contentIds(recommendations(site, "visitor=" + reader + "&limit=20"));
        long first = before.get(0);
        send(site, List.of(pageView(reader, first, clock.now())));
        List<Long> after = contentIds(recommendations(site, "visitor=" + reader + "&limit=20"));
        assertFalse(after.contains(first), "read a moment ago: " + after);
        Set<Long> unchanged = new HashSet<>(before);
        unchanged.remove(first);
        assertTrue(new HashSet<>(after).containsAll(unchanged) || after.size() == 20);
    }

    @Test
    void readersLikeYouAlsoReadFollowsCoReading() {
        TestSite site = recipeSite();
        List<Map<String, Object>> events = new ArrayList<>();
        Instant now = clock.now();
        // readers of garden post 401 go on to technique guide 503
        for (int reader = 0; reader < 8; reader++) {
            String anonymousId = TestSites.unique("garden");
            events.add(pageView(anonymousId, 401, now.minus(Duration.ofHours(reader + 2))));
            events.add(pageView(anonymousId, 503, now.minus(Duration.ofHours(reader + 1))));
        }
        String visitor = TestSites.unique("v");
        events.add(pageView(visitor, 401, now.minus(Duration.ofMinutes(5))));
        send(site, events);
        settle(site);
        Response response = recommendations(site, "visitor=" + visitor + "&limit=3");
        assertEquals(503L, contentIds(response).get(0), contentIds(response).toString());
        response.then().body("items[0].reason", equalTo("Readers of \u201cGarden post 1\u201d also read this"));
        assertFalse(contentIds(response).contains(401L));
        response.then().body("items.contentId", not(hasItem(401)));
    }
}

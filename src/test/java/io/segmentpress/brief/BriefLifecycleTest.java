package io.segmentpress.brief;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.segmentpress.common.time.AppClock;

@QuarkusTest
class BriefLifecycleTest {

    @Inject
    AppClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private PlantedBakery plantedSite() {
        PlantedBakery bakery = PlantedBakery.build(clock.now());
        SegmentsForTests.compute(bakery);
        return bakery;
    }

    private static JsonPath generate(BriefTestSite site) {
        return site.secret().body("{}").post("/v1/briefs/generate").then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath generate(BriefTestSite site, String segment) {
        return site.secret().body(Map.of("segment", segment)).post("/v1/briefs/generate").then().statusCode(200).extract().jsonPath();
    }

    private static long glutenFreeBrief(JsonPath generated) {
        return generated.getLong("briefs.find { it.topic.slug == 'gluten-free' }.id");
    }

    @Test
    void dismissedBriefDoesNotComeBackButOpenProposalsAreRefreshedInPlace() throws Exception {
        PlantedBakery bakery = plantedSite();
        JsonPath first = generate(bakery.site);
        long glutenFree = glutenFreeBrief(first);
        List<Integer> firstIds = first.getList("briefs.id");

        // A second run refreshes the still-proposed briefs instead of duplicating them.
        JsonPath second = generate(bakery.site);
        assertEquals(firstIds, second.getList("briefs.id"));
        assertEquals(firstIds.size(), bakery.site.secret().get("/v1/briefs").then().statusCode(200).extract().jsonPath().getList("items").size());

        bakery.site.secret().body(Map.of("status", "dismissed")).patch("/v1/briefs/" + glutenFree).then().statusCode(200)
                .body("status", is("dismissed"));
        JsonPath third = generate(bakery.site);
        assertTrue(third.getList("briefs.topic.slug").stream().noneMatch("gluten-free"::equals), third.prettify());

        // Still away ten days later (the cooldown is 90 days) while the searches are still in the demand window.
        clock.advance(Duration.ofDays(10));
        assertTrue(generate(bakery.site).getList("briefs.topic.slug").stream().noneMatch("gluten-free"::equals));
        bakery.site.secret().queryParam("status", "dismissed").get("/v1/briefs").then().statusCode(200)
                .body("items.id", org.hamcrest.Matchers.contains((int) glutenFree));
    }

    @Test
    void aProposalWhoseGapIsGoneIsWithdrawnWhileBriefsSomeoneActedOnStay() throws Exception {
        PlantedBakery bakery = plantedSite();
        JsonPath first = generate(bakery.site);
        List<Long> firstIds = first.getList("briefs.id", Long.class);
        assertTrue(firstIds.size() >= 2, first.prettify());
        long accepted = firstIds.get(0);
        bakery.site.secret().body(Map.of("status", "accepted")).patch("/v1/briefs/" + accepted).then().statusCode(200);

        // a generation for one segment leaves the other segments' proposals alone
        String segment = first.getString("briefs.find { it.id == " + firstIds.get(1) + " }.segment");
        generate(bakery.site, segment);
        List<Long> otherSegments = first.getList("briefs.findAll { it.segment != '" + segment + "' }.id", Long.class);
        for (long id : otherSegments) {
            bakery.site.secret().get("/v1/briefs/" + id).then().statusCode(200);
        }

        // two months on, the demand that made the proposals has left the 30-day window
        clock.advance(Duration.ofDays(60));
        List<Long> later = generate(bakery.site).getList("briefs.id", Long.class);
        List<Long> withdrawn = firstIds.stream().filter(id -> id != accepted && !later.contains(id)).toList();
        assertTrue(!withdrawn.isEmpty(), "some proposal of the first run is no longer found: " + later);
        for (long id : withdrawn) {
            bakery.site.secret().get("/v1/briefs/" + id).then().statusCode(404);
        }
        List<Long> proposedNow = bakery.site.secret().queryParam("status", "proposed").get("/v1/briefs").then().statusCode(200)
                .extract().jsonPath().getList("items.id", Long.class);
        assertEquals(later.stream().sorted().toList(), proposedNow.stream().sorted().toList(), "the proposals listed are this run's");
        bakery.site.secret().get("/v1/briefs/" + accepted).then().statusCode(200).body("status", is("accepted"));
    }

    @Test
    void briefMovesThroughTheLifecycleAndRefusesIllegalMoves() throws Exception {
        PlantedBakery bakery = plantedSite();
        long id = glutenFreeBrief(generate(bakery.site));
        String path = "/v1/briefs/" + id;

        bakery.site.secret().body(Map.of("status", "published")).patch(path).then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("allowed next: accepted, dismissed"));
        bakery.site.secret().body(Map.of("status", "measured")).patch(path).then().statusCode(400).body("errors[0].field", is("status"));
        bakery.site.secret().body(Map.of("status", "accepted")).patch(path).then().statusCode(200).body("status", is("accepted"));
        bakery.site.secret().body(Map.of("status", "scheduled")).patch(path).then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("wpPostId", "scheduledFor"));
        Instant goLive = clock.now().plus(Duration.ofDays(3));
        bakery.site.secret().body(Map.of("status", "scheduled", "wpPostId", 900, "scheduledFor", goLive.toString())).patch(path).then()
                .statusCode(200).body("status", is("scheduled")).body("wpPostId", is(900)).body("scheduledFor", notNullValue());
        // Generation leaves accepted and scheduled briefs alone.
        assertTrue(generate(bakery.site).getList("briefs.id").stream().noneMatch(i -> ((Number) i).longValue() == id));
        bakery.site.secret().body(Map.of("status", "published")).patch(path).then().statusCode(200).body("status", is("published"))
                .body("publishedAt", notNullValue());
        bakery.site.secret().body(Map.of("status", "dismissed")).patch(path).then().statusCode(409);
        bakery.site.secret().body(Map.of("status", "wrong")).patch(path).then().statusCode(400);
        bakery.site.secret().get(path).then().statusCode(200).body("status", is("published"));
        bakery.site.secret().queryParam("status", "published").get("/v1/briefs").then().statusCode(200).body("items.id", hasItem((int) id));
        bakery.site.secret().queryParam("status", "nonsense").get("/v1/briefs").then().statusCode(400);
        bakery.site.secret().queryParam("segment", "bargain-hunter").get("/v1/briefs").then().statusCode(200)
                .body("items.segment", org.hamcrest.Matchers.everyItem(is("bargain-hunter")));
    }

    @Test
    void publishedBriefIsMeasuredAgainstTheSegmentsUsualEngagement() throws Exception {
        PlantedBakery bakery = plantedSite();
        JsonPath generated = generate(bakery.site);
        Files.writeString(Path.of("target", "briefs-example.json"), generated.prettify());
        long id = glutenFreeBrief(generated);
        String path = "/v1/briefs/" + id;
        bakery.site.secret().body(Map.of("status", "accepted")).patch(path).then().statusCode(200);
        bakery.site.secret().body(Map.of("status", "scheduled", "wpPostId", 900, "scheduledFor", clock.now().plusSeconds(60).toString()))
                .patch(path).then().statusCode(200);
        bakery.site.secret().body(Map.of("status", "published")).patch(path).then().statusCode(200);

        // Before the post is synced, the insight is there without the post.
        bakery.site.secret().get("/v1/insights/briefs").then().statusCode(200).body("items[0].briefId", is((int) id))
                .body("items[0].post", nullValue());

        bakery.site.putContent(List.of(BriefTestSite.post(900, "Gluten-Free Bread on a Budget", "recipes", List.of("gluten-free", "bread"),
                clock.now(), "retention")));
        clock.advance(Duration.ofMinutes(5));
        Instant start = clock.now().minus(Duration.ofMinutes(2));
        List<String> bargainHunters = bakery.groups.get("bargain");
        for (int i = 0; i < bargainHunters.size(); i++) {
            String visitor = bargainHunters.get(i);
            bakery.site.read(visitor, start.plusSeconds(i), 900, 300, 95);
            bakery.site.read(visitor, start.plusSeconds(i + 20), PlantedBakery.BREAD_POSTS.get(i % 3), 60, 40);
        }
        bakery.site.flush();

        JsonPath insight = bakery.site.secret().get("/v1/insights/briefs").then().statusCode(200).extract().jsonPath();
        assertEquals(900, insight.getInt("items[0].post.contentId"));
        assertEquals("Gluten-Free Bread on a Budget", insight.getString("items[0].post.title"));
        assertEquals(12.0, insight.getDouble("items[0].segmentEngagement.views"));
        assertEquals(12.0, insight.getDouble("items[0].segmentEngagement.readers"));
        assertEquals(3600.0, insight.getDouble("items[0].segmentEngagement.engagedSeconds"));
        assertEquals(4.0, insight.getDouble("items[0].segmentAveragePerPost.views"));
        assertEquals(3.0, insight.getDouble("items[0].viewsIndex"));
        assertEquals(5.0, insight.getDouble("items[0].engagedTimeIndex"));

        bakery.site.secret().get(path).then().body("status", is("published"));
        clock.advance(Duration.ofDays(15));
        generate(bakery.site);
        bakery.site.secret().get(path).then().statusCode(200).body("status", is("measured"));
        bakery.site.secret().get("/v1/insights/briefs").then().statusCode(200).body("items[0].status", is("measured"))
                .body("items[0].segmentEngagement.views", is(12.0f));
        assertThat(insight.getDouble("items[0].segmentEngagement.completion"), greaterThan(90.0));
    }
}

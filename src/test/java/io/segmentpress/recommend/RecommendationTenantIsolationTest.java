package io.segmentpress.recommend;

import static io.restassured.RestAssured.given;
import static io.segmentpress.recommend.RecommendFixtures.item;
import static io.segmentpress.recommend.RecommendFixtures.pageView;
import static io.segmentpress.recommend.RecommendFixtures.put;
import static io.segmentpress.recommend.RecommendFixtures.send;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.segmentpress.TestSites;
import io.segmentpress.TestSites.TestSite;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.segment.SegmentEngine;

/**
 * Every recommendation endpoint × (own secret key, own write key, other site's key, no key); each
 * refusal is paired with the allowed call, and another site's key never sees this site's data.
 */
@QuarkusTest
class RecommendationTenantIsolationTest {

    @Inject
    SegmentEngine engine;

    @Inject
    AppClock clock;

    private static RequestSpecification noKey() {
        return given().contentType(ContentType.JSON);
    }

    @Test
    void visitorRecommendationsTakeEitherKeyAndNeverShowAnotherSitesContentOrVisitor() {
        TestSite a = TestSites.create();
        TestSite b = TestSites.create();
        Instant now = clock.now();
        put(a, 1, item("A secret plan", "post", "plans", now.minus(Duration.ofDays(2))));
        put(a, 2, item("A second plan", "post", "plans", now.minus(Duration.ofDays(3))));
        put(b, 50, item("B post", "post", "news", now.minus(Duration.ofDays(2))));
        String visitorOfA = TestSites.unique("a-visitor");
        send(a, List.of(pageView(visitorOfA, 1, now.minus(Duration.ofDays(1))),
                RecommendFixtures.track(visitorOfA, "Product Added", Map.of("product_id", "p1"), now.minus(Duration.ofHours(1)))));
        engine.drainDirty();

        String query = "/v1/recommendations?visitor=" + visitorOfA;
        a.asSecret().get(query).then().statusCode(200).body("items.contentId", equalTo(List.of(2))).body("stage", equalTo("stage:decision"));
        a.asWrite().get(query).then().statusCode(200).body("items.contentId", equalTo(List.of(2)));
        noKey().get(query).then().statusCode(401);
        given().header("Authorization", "Bearer wk_notakey").get(query).then().statusCode(401);
        // B's key asking about A's visitor: B's catalog, and A's visitor is a stranger to B
        b.asWrite().get(query).then().statusCode(200).body("items.contentId", equalTo(List.of(50)))
                .body("segments", equalTo(List.of("stage:awareness")));
        b.asSecret().get(query + "&context=1").then().statusCode(200).body("items.contentId", equalTo(List.of(50)));
    }

    @Test
    void segmentRecommendationsTakeTheSecretKeyOnlyAndAreScopedToTheSite() {
        TestSite a = TestSites.create();
        TestSite b = TestSites.create();
        Instant now = clock.now();
        put(a, 1, item("A plan", "post", "plans", now.minus(Duration.ofDays(2))));
        put(b, 50, item("B post", "post", "news", now.minus(Duration.ofDays(2))));

        a.asSecret().get("/v1/segments/vip/recommendations").then().statusCode(200).body("items.contentId", equalTo(List.of(1)));
        a.asWrite().get("/v1/segments/vip/recommendations").then().statusCode(403);
        noKey().get("/v1/segments/vip/recommendations").then().statusCode(401);
        b.asSecret().get("/v1/segments/vip/recommendations").then().statusCode(200).body("items.contentId", equalTo(List.of(50)));
        // A's interest segment does not exist for B: 404, like any unknown segment
        a.asSecret().get("/v1/segments/interest:plans/recommendations").then().statusCode(200);
        b.asSecret().get("/v1/segments/interest:plans/recommendations").then().statusCode(404);
    }

    @Test
    void settingsTakeTheSecretKeyOnlyAndChangeOnlyTheCallersSite() {
        TestSite a = TestSites.create();
        TestSite b = TestSites.create();
        a.asSecret().body(Map.of("controlPercent", 40)).put("/v1/recommendations/settings").then().statusCode(200);
        a.asWrite().body(Map.of("controlPercent", 90)).put("/v1/recommendations/settings").then().statusCode(403);
        noKey().body(Map.of("controlPercent", 90)).put("/v1/recommendations/settings").then().statusCode(401);
        a.asWrite().get("/v1/recommendations/settings").then().statusCode(403);
        noKey().get("/v1/recommendations/settings").then().statusCode(401);
        b.asSecret().get("/v1/recommendations/settings").then().statusCode(200).body("controlPercent", equalTo(0));
        b.asSecret().body(Map.of("controlPercent", 90)).put("/v1/recommendations/settings").then().statusCode(200);
        a.asSecret().get("/v1/recommendations/settings").then().statusCode(200).body("controlPercent", equalTo(40));
    }

    @Test
    void insightsTakeTheSecretKeyOnlyAndCountOnlyTheCallersLists() {
        TestSite a = TestSites.create();
        TestSite b = TestSites.create();
        put(a, 1, item("A plan", "post", "plans", clock.now().minus(Duration.ofDays(2))));
        String visitor = TestSites.unique("v");
        String recId = a.asWrite().get("/v1/recommendations?visitor=" + visitor).then().statusCode(200).extract().path("recId");
        send(a, List.of(RecommendFixtures.track(visitor, "Recommendation Viewed", Map.of("rec_id", recId, "post_ids", List.of(1)), clock.now())));
        // B's visitors replay A's rec id in B: it is not attributed to anything in B
        send(b, List.of(RecommendFixtures.track(visitor, "Recommendation Viewed", Map.of("rec_id", recId, "post_ids", List.of(1)), clock.now())));

        String path = "/v1/insights/recommendations";
        long aImpressions = pollImpressions(a);
        assertEquals(1, aImpressions);
        a.asWrite().get(path).then().statusCode(403);
        noKey().get(path).then().statusCode(401);
        b.asSecret().get(path).then().statusCode(200).body("variants[0].served", equalTo(0)).body("variants[0].impressions", equalTo(0))
                .body("unattributedEvents", equalTo(1));
    }

    @Test
    void benchBaselineIsHiddenUnlessEnabled() {
        TestSite a = TestSites.create();
        put(a, 1, item("A plan", "post", "plans", clock.now()));
        a.asWrite().get("/v1/bench/recommend-baseline?id=1").then().statusCode(404);
        String openapi = given().get("/q/openapi").then().statusCode(200).extract().asString();
        assertFalse(openapi.contains("recommend-baseline"));
        assertTrue(openapi.contains("/v1/recommendations"));
    }

    /** Served lists are written within a second; wait for the write rather than reach into the service. */
    private static long pollImpressions(TestSite site) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            long impressions = site.asSecret().get("/v1/insights/recommendations").then().statusCode(200).extract().jsonPath()
                    .getLong("variants[0].impressions");
            if (impressions > 0 || System.currentTimeMillis() > deadline) {
                return impressions;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return impressions;
            }
        }
    }
}

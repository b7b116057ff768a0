package io.segmentpress.brief;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.segmentpress.common.time.AppClock;

/**
 * Every briefs endpoint × (own secret key, other site's secret key, own write key, no key). Each
 * forbidden call is paired with the allowed control call on the same resource.
 */
@QuarkusTest
class BriefTenantIsolationTest {

    @Inject
    AppClock clock;

    private static RequestSpecification as(String key) {
        RequestSpecification spec = given().contentType(ContentType.JSON);
        return key == null ? spec : spec.header("Authorization", "Bearer " + key);
    }

    @Test
    void everyBriefEndpointIsIsolatedPerSite() throws Exception {
        PlantedBakery owner = PlantedBakery.build(clock.now());
        SegmentsForTests.compute(owner);
        BriefTestSite other = BriefTestSite.create("Other shop", "UTC");
        int id = as(owner.site.secretKey).body("{}").post("/v1/briefs/generate").then().statusCode(200).extract().path("briefs[0].id");
        String briefPath = "/v1/briefs/" + id;

        // POST /v1/briefs/generate
        as(owner.site.secretKey).body("{}").post("/v1/briefs/generate").then().statusCode(200);
        as(other.secretKey).body("{}").post("/v1/briefs/generate").then().statusCode(200).body("briefs.size()", is(0));
        as(owner.site.writeKey).body("{}").post("/v1/briefs/generate").then().statusCode(403);
        as(null).body("{}").post("/v1/briefs/generate").then().statusCode(401);

        // GET /v1/briefs
        as(owner.site.secretKey).get("/v1/briefs").then().statusCode(200).body("items.id", hasItem(id));
        as(other.secretKey).get("/v1/briefs").then().statusCode(200).body("items.id", not(hasItem(id)));
        as(owner.site.writeKey).get("/v1/briefs").then().statusCode(403);
        as(null).get("/v1/briefs").then().statusCode(401);

        // GET /v1/briefs/{id}
        as(owner.site.secretKey).get(briefPath).then().statusCode(200).body("id", is(id));
        as(other.secretKey).get(briefPath).then().statusCode(404).contentType("application/problem+json");
        as(other.secretKey).get("/v1/briefs/999999999").then().statusCode(404);
        as(owner.site.writeKey).get(briefPath).then().statusCode(403);
        as(null).get(briefPath).then().statusCode(401);

        // PATCH /v1/briefs/{id}: the other site cannot move it, and learns nothing from trying
        as(other.secretKey).body(Map.of("status", "dismissed")).patch(briefPath).then().statusCode(404);
        as(owner.site.writeKey).body(Map.of("status", "dismissed")).patch(briefPath).then().statusCode(403);
        as(null).body(Map.of("status", "dismissed")).patch(briefPath).then().statusCode(401);
        as(owner.site.secretKey).get(briefPath).then().statusCode(200).body("status", is("proposed"));
        as(owner.site.secretKey).body(Map.of("status", "accepted")).patch(briefPath).then().statusCode(200).body("status", is("accepted"));

        // GET /v1/insights/briefs
        as(owner.site.secretKey).body(Map.of("status", "scheduled", "wpPostId", 77, "scheduledFor", "2030-01-01T09:00:00Z")).patch(briefPath)
                .then().statusCode(200);
        as(owner.site.secretKey).body(Map.of("status", "published")).patch(briefPath).then().statusCode(200);
        as(owner.site.secretKey).get("/v1/insights/briefs").then().statusCode(200).body("items.briefId", hasItem(id));
        as(other.secretKey).get("/v1/insights/briefs").then().statusCode(200).body("items.size()", is(0));
        as(owner.site.writeKey).get("/v1/insights/briefs").then().statusCode(403);
        as(null).get("/v1/insights/briefs").then().statusCode(401);

        // A segment filter naming another site's custom segment or a made-up key is a 404, not an empty success.
        as(owner.site.secretKey).body(Map.of("segment", "no-such-segment")).post("/v1/briefs/generate").then().statusCode(404);
        as(owner.site.secretKey).body(Map.of("segment", "bargain-hunter")).post("/v1/briefs/generate").then().statusCode(200)
                .body("briefs.segment", org.hamcrest.Matchers.everyItem(is("bargain-hunter")));
    }
}

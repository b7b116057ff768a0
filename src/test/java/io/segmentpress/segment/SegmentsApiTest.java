package io.segmentpress.segment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.segment.SegmentFixtures.History;
import io.segmentpress.segment.SegmentFixtures.Site;

@QuarkusTest
class SegmentsApiTest {

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

    private Cohort cohortOn(Site site) {
        Cohort cohort = Cohort.at(clock);
        cohort.sendTo(site);
        engine.drainDirty();
        return cohort;
    }

    @Test
    void listsEveryFamilyWithCurrentSizes() {
        Site site = SegmentFixtures.createSite();
        cohortOn(site);
        JsonPath segments = site.asSecret().get("/v1/segments").then().statusCode(200).extract().jsonPath();

        assertEquals(1, segments.getInt("find { it.key == 'vip' }.size"));
        assertEquals("purchase", segments.getString("find { it.key == 'vip' }.family"));
        assertEquals("engagement", segments.getString("find { it.key == 'at-risk' }.family"));
        assertEquals(1, segments.getInt("find { it.key == 'interest:recipes' }.size"));
        assertEquals("interest", segments.getString("find { it.key == 'interest:recipes' }.family"));
        assertEquals(0, segments.getInt("find { it.key == 'interest:kitchen' }.size"), "every content category has an interest segment");
        assertEquals(3, segments.getInt("find { it.key == 'stage:consideration' }.size"));
        assertEquals(2, segments.getInt("find { it.key == 'dormant' }.size"));
        site.asSecret().get("/v1/segments/loyal").then().statusCode(200).body("size", equalTo(1)).body("updatedAt", notNullValue())
                .body("name", equalTo("Loyal customers"));
    }

    @Test
    void unknownSegmentAnswers404() {
        Site site = SegmentFixtures.createSite();
        site.asSecret().get("/v1/segments/no-such-segment").then().statusCode(404).contentType(containsString("problem+json"));
        site.asSecret().get("/v1/segments/interest:unknown-topic/members").then().statusCode(404);
        site.asSecret().get("/v1/segments/no-such-segment/members.csv").then().statusCode(404);
    }

    @Test
    void membersArePagedWithAnOpaqueCursor() {
        Site site = SegmentFixtures.createSite();
        Cohort cohort = cohortOn(site);
        JsonPath first = site.asSecret().queryParam("limit", 2).get("/v1/segments/stage:consideration/members").then().statusCode(200)
                .body("items", hasSize(2)).body("nextCursor", notNullValue()).extract().jsonPath();
        JsonPath second = site.asSecret().queryParam("limit", 2).queryParam("cursor", first.getString("nextCursor"))
                .get("/v1/segments/stage:consideration/members").then().statusCode(200)
                .body("items", hasSize(1)).body("nextCursor", nullValue()).extract().jsonPath();
        List<String> anonymousIds = new java.util.ArrayList<>(first.getList("items.anonymousIds.flatten()", String.class));
        anonymousIds.addAll(second.getList("items.anonymousIds.flatten()", String.class));
        assertEquals(java.util.Set.of(cohort.powerReader.anonymousId, cohort.atRiskReader.anonymousId, cohort.productBrowser.anonymousId),
                new java.util.HashSet<>(anonymousIds));
        assertTrue(first.getLong("items[0].visitorId") < first.getLong("items[1].visitorId"));
        assertFalse(first.getString("items[0].since").isBlank());

        site.asSecret().queryParam("cursor", "not-a-cursor").get("/v1/segments/vip/members").then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
        site.asSecret().queryParam("limit", 0).get("/v1/segments/vip/members").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
    }

    @Test
    void csvExportEscapesCellsAndDefusesFormulas() {
        Site site = SegmentFixtures.createSite();
        History visitor = new History(clock.now());
        visitor.page(0.2, 5);
        visitor.events.forEach(event -> event.put("anonymousId", "=HYPERLINK(\"http://evil\",\"x\")"));
        History other = new History(clock.now()).page(0.1, 6);
        site.send(visitor.events);
        site.send(other.events);
        engine.drainDirty();

        String csv = site.asSecret().get("/v1/segments/stage:awareness/members.csv").then().statusCode(200)
                .contentType(containsString("text/csv")).header("Content-Disposition", containsString("attachment")).extract().asString();
        String[] lines = csv.split("\r\n");
        assertEquals("visitor_id,user_id,anonymous_ids,since", lines[0]);
        assertEquals(3, lines.length);
        assertTrue(csv.contains(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\","), csv);
        assertTrue(csv.contains("," + other.anonymousId + ","), csv);
    }

    @Test
    void thresholdsAreSiteSettingsValidatedByName() {
        Site site = SegmentFixtures.createSite();
        Cohort cohort = cohortOn(site);
        site.asSecret().get("/v1/site/settings").then().statusCode(200).body("segments.vip.minOrders", equalTo(3))
                .body("segments.dormant.inactiveDays", equalTo(60));

        site.asSecret().body(Map.of("segments", Map.of("vip", Map.of("minOrders", 5)))).patch("/v1/site/settings").then().statusCode(200)
                .body("segments.vip.minOrders", equalTo(5)).body("segments.loyal.minOrders", equalTo(2));
        site.asSecret().post("/v1/segments/recompute").then().statusCode(200);
        assertFalse(new SegmentDb(dataSource).memberships(site.id(), cohort.vip.anonymousId).containsKey("vip"));

        site.asSecret().body(Map.of("segments", Map.of("vip", Map.of("maxOrders", 5, "windowDays", 0)))).patch("/v1/site/settings")
                .then().statusCode(400)
                .body("errors.field", hasItem("segments.vip.maxOrders"))
                .body("errors.field", hasItem("segments.vip.windowDays"));
        site.asSecret().body(Map.of("segments", Map.of("nonsense", Map.of()))).patch("/v1/site/settings").then().statusCode(400)
                .body("errors[0].field", equalTo("segments.nonsense"));
        site.asSecret().body(Map.of("segments", Map.of("vip", Map.of("minOrders", "many")))).patch("/v1/site/settings").then()
                .statusCode(400).body("errors[0].field", equalTo("segments.vip.minOrders"));
        site.asSecret().body(Map.of("segments", Map.of("regular", Map.of("minActiveDays", 9)))).patch("/v1/site/settings").then()
                .statusCode(400).body("errors[0].field", equalTo("segments.regular.minActiveDays"));

        java.util.Map<String, Object> reset = new java.util.HashMap<>();
        reset.put("minOrders", null);
        site.asSecret().body(Map.of("segments", Map.of("vip", reset))).patch("/v1/site/settings").then().statusCode(200)
                .body("segments.vip.minOrders", equalTo(3));
        site.asSecret().post("/v1/segments/recompute").then().statusCode(200);
        assertTrue(new SegmentDb(dataSource).memberships(site.id(), cohort.vip.anonymousId).containsKey("vip"));
    }

    @Test
    void insightsShowDailySizesAndStageMoves() {
        Site site = SegmentFixtures.createSite();
        cohortOn(site);
        JsonPath sizes = site.asSecret().get("/v1/insights/segments").then().statusCode(200).body("timezone", equalTo("UTC"))
                .extract().jsonPath();
        assertEquals(30, sizes.getList("segments.find { it.key == 'vip' }.days").size());
        assertEquals(1, sizes.getInt("segments.find { it.key == 'vip' }.days[-1].size"));
        assertEquals(1, sizes.getInt("segments.find { it.key == 'vip' }.days[-1].entered"));
        assertEquals(0, sizes.getInt("segments.find { it.key == 'vip' }.days[-2].size"), "nobody was in it before today");
        assertEquals(3, sizes.getInt("segments.find { it.key == 'stage:consideration' }.days[-1].size"));

        JsonPath journey = site.asSecret().get("/v1/insights/journey").then().statusCode(200).extract().jsonPath();
        assertEquals(3, journey.getInt("moves.find { it.from == null && it.to == 'stage:consideration' }.visitors"));
        assertEquals(3, journey.getInt("moves.find { it.from == null && it.to == 'stage:retention' }.visitors"));

        clock.advance(Duration.ofDays(30));
        engine.recomputeSite(site.id());
        JsonPath later = site.asSecret().get("/v1/insights/journey").then().statusCode(200).extract().jsonPath();
        assertEquals(1, later.getInt("moves.find { it.from == 'stage:decision' && it.to == 'stage:consideration' }.visitors"));
        JsonPath laterSizes = site.asSecret().get("/v1/insights/segments").then().statusCode(200).extract().jsonPath();
        assertEquals(0, laterSizes.getInt("segments.find { it.key == 'window-shopper' }.days[-1].size"));
        assertEquals(1, laterSizes.getInt("segments.find { it.key == 'window-shopper' }.days[-1].exited"));

        site.asSecret().queryParam("from", "2026-13-01").get("/v1/insights/segments").then().statusCode(400)
                .body("errors[0].field", equalTo("from"));
        site.asSecret().queryParam("from", "2026-02-01").queryParam("to", "2026-01-01").get("/v1/insights/journey").then().statusCode(400);
    }

    @Test
    void everyEndpointIsolatesSites() {
        Site site = SegmentFixtures.createSite();
        Site other = SegmentFixtures.createSite();
        cohortOn(site);
        List<String[]> reads = List.of(
                new String[] { "GET", "/v1/segments" },
                new String[] { "GET", "/v1/segments/vip" },
                new String[] { "GET", "/v1/segments/vip/members" },
                new String[] { "GET", "/v1/segments/vip/members.csv" },
                new String[] { "POST", "/v1/segments/recompute" },
                new String[] { "GET", "/v1/site/settings" },
                new String[] { "PATCH", "/v1/site/settings" },
                new String[] { "GET", "/v1/insights/segments" },
                new String[] { "GET", "/v1/insights/journey" });
        for (String[] call : reads) {
            String body = "PATCH".equals(call[0]) ? "{\"segments\":{}}" : null;
            assertEquals(200, send(site.asSecret(), call, body), "own secret key: " + call[1]);
            assertEquals(403, send(site.asWrite(), call, body), "write key: " + call[1]);
            assertEquals(401, send(given().contentType("application/json"), call, body), "no key: " + call[1]);
            assertEquals(401, send(given().header("Authorization", "Bearer sk_not_a_real_key").contentType("application/json"), call, body),
                    "unknown key: " + call[1]);
        }
        // the other site's key sees only its own data: site A's category and members are not there
        site.asSecret().get("/v1/segments/interest:recipes").then().statusCode(200);
        other.asSecret().get("/v1/segments/interest:recipes").then().statusCode(404);
        other.asSecret().get("/v1/segments/interest:recipes/members").then().statusCode(404);
        other.asSecret().get("/v1/segments/interest:recipes/members.csv").then().statusCode(404);
        other.asSecret().get("/v1/segments/vip/members").then().statusCode(200).body("items", hasSize(0));
        other.asSecret().get("/v1/segments").then().statusCode(200).body("find { it.key == 'vip' }.size", equalTo(0))
                .body("key", not(hasItem("interest:recipes")));
        other.asSecret().get("/v1/insights/segments").then().statusCode(200).body("segments", hasSize(0));
        other.asSecret().get("/v1/insights/journey").then().statusCode(200).body("moves", hasSize(0));
        other.asSecret().post("/v1/segments/recompute").then().statusCode(200).body("visitors", equalTo(0));
        other.asSecret().body(Map.of("segments", Map.of("vip", Map.of("minOrders", 9)))).patch("/v1/site/settings").then().statusCode(200);
        site.asSecret().get("/v1/site/settings").then().body("segments.vip.minOrders", equalTo(3));
        assertEquals(1, new SegmentDb(dataSource).count("SELECT COUNT(*) FROM segment_membership WHERE site_id = ? AND segment_key = 'vip'",
                site.id()), "the other site's recompute left this site alone");
    }

    private static int send(io.restassured.specification.RequestSpecification request, String[] call, String body) {
        if (body != null) {
            request = request.body(body);
        }
        return switch (call[0]) {
            case "GET" -> request.get(call[1]).statusCode();
            case "POST" -> request.post(call[1]).statusCode();
            default -> request.patch(call[1]).statusCode();
        };
    }
}

package io.segmentpress.segment.rule;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.segmentpress.TestSites;
import io.segmentpress.TestSites.TestSite;
import io.segmentpress.common.Json;
import io.segmentpress.segment.SegmentEngine;
import io.segmentpress.visitor.Drain;

@QuarkusTest
class CustomSegmentApiTest {

    static final String TWO_ORDERS = "{\"event\": \"Order Completed\", \"count\": {\"gte\": 2}, \"within\": \"P90D\"}";

    @Inject
    SegmentEngine engine;

    @Inject
    DataSource dataSource;

    static Map<String, Object> segment(String key, String rule) {
        return Map.of("key", key, "name", "Segment " + key, "description", "for tests", "rule", Json.readTree(rule));
    }

    static Map<String, Object> order(String anonymousId, Instant at) {
        return Map.of("type", "track", "event", "Order Completed", "anonymousId", anonymousId, "messageId", TestSites.unique("m"),
                "timestamp", at.toString(), "properties", Map.of("order_id", TestSites.unique("o"), "total", 40));
    }

    static void create(TestSite site, String key, String rule) {
        site.asSecret().body(segment(key, rule)).post("/v1/segments").then().statusCode(201);
    }

    @Test
    void createsACustomSegmentWithLocationAndListsItAmongSegments() {
        TestSite site = TestSites.create();
        site.asSecret().body(segment("repeat-buyers", TWO_ORDERS)).post("/v1/segments").then()
                .statusCode(201)
                .header("Location", endsWith("/v1/segments/repeat-buyers"))
                .body("key", equalTo("repeat-buyers"))
                .body("family", equalTo("custom"))
                .body("name", equalTo("Segment repeat-buyers"))
                .body("rule.within", equalTo("P90D"))
                .body("size", equalTo(0));
        site.asSecret().get("/v1/segments/repeat-buyers").then().statusCode(200).body("family", equalTo("custom"));
        site.asSecret().get("/v1/segments").then().statusCode(200).body("key", hasItem("repeat-buyers"));
    }

    @Test
    void visitorsWhoAlreadyMatchAreMembersAsSoonAsTheSegmentIsCreated() {
        TestSite site = TestSites.create();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String buyer = TestSites.unique("anon");
        site.sendBatch(List.of(order(buyer, now.minus(3, ChronoUnit.DAYS)), order(buyer, now.minus(1, ChronoUnit.DAYS))))
                .then().statusCode(200).body("accepted", equalTo(2));
        site.sendBatch(List.of(order(TestSites.unique("anon"), now.minus(1, ChronoUnit.DAYS)))).then().statusCode(200);
        Drain.site(engine, dataSource, site.id());

        site.asSecret().body(segment("repeat-buyers", TWO_ORDERS)).post("/v1/segments").then().statusCode(201).body("size", equalTo(1));
        site.asWrite().get("/v1/visitors/" + buyer + "/segments").then().statusCode(200).body("segments", hasItem("repeat-buyers"));
        site.asSecret().get("/v1/segments/repeat-buyers/members").then().statusCode(200).body("items.size()", equalTo(1));
    }

    @Test
    void aVisitorEntersTheSegmentWhenMatchingEventsArrive() {
        TestSite site = TestSites.create();
        create(site, "repeat-buyers", TWO_ORDERS);
        String buyer = TestSites.unique("anon");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        site.sendBatch(List.of(order(buyer, now.minus(2, ChronoUnit.DAYS)))).then().statusCode(200);
        Drain.site(engine, dataSource, site.id());
        site.asWrite().get("/v1/visitors/" + buyer + "/segments").then().statusCode(200).body("segments", not(hasItem("repeat-buyers")));

        site.sendBatch(List.of(order(buyer, now.minus(1, ChronoUnit.HOURS)))).then().statusCode(200);
        Drain.site(engine, dataSource, site.id());
        site.asWrite().get("/v1/visitors/" + buyer + "/segments").then().statusCode(200).body("segments", hasItem("repeat-buyers"));
        site.asSecret().get("/v1/segments/repeat-buyers").then().statusCode(200).body("size", equalTo(1));
    }

    @Test
    void replacingTheRuleReevaluatesMembers() {
        TestSite site = TestSites.create();
        String buyer = TestSites.unique("anon");
        site.sendBatch(List.of(order(buyer, Instant.now().minus(1, ChronoUnit.DAYS)))).then().statusCode(200);
        Drain.site(engine, dataSource, site.id());
        create(site, "buyers", TWO_ORDERS);
        site.asSecret().get("/v1/segments/buyers").then().body("size", equalTo(0));

        site.asSecret().body(Map.of("name", "Buyers", "rule", Json.readTree("{\"event\": \"Order Completed\"}")))
                .put("/v1/segments/buyers").then().statusCode(200)
                .body("name", equalTo("Buyers")).body("size", equalTo(1)).body("rule.count", equalTo(null));
    }

    @Test
    void deletingRemovesTheSegmentAndItsMemberships() {
        TestSite site = TestSites.create();
        String buyer = TestSites.unique("anon");
        site.sendBatch(List.of(order(buyer, Instant.now().minus(1, ChronoUnit.DAYS)))).then().statusCode(200);
        Drain.site(engine, dataSource, site.id());
        create(site, "buyers", "{\"event\": \"Order Completed\"}");
        site.asWrite().get("/v1/visitors/" + buyer + "/segments").then().body("segments", hasItem("buyers"));

        site.asSecret().delete("/v1/segments/buyers").then().statusCode(204);
        site.asSecret().get("/v1/segments/buyers").then().statusCode(404);
        site.asWrite().get("/v1/visitors/" + buyer + "/segments").then().body("segments", not(hasItem("buyers")));
        site.asSecret().delete("/v1/segments/buyers").then().statusCode(404);
    }

    @Test
    void refusesAKeyThatExistsAlready() {
        TestSite site = TestSites.create();
        create(site, "buyers", TWO_ORDERS);
        site.asSecret().body(segment("buyers", TWO_ORDERS)).post("/v1/segments").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("exists already"));
    }

    @ParameterizedTest
    @CsvSource({ "vip", "loyal", "dormant", "interest:recipes", "stage:retention" })
    void builtInSegmentsCannotBeCreatedChangedOrDeleted(String key) {
        TestSite site = TestSites.create();
        site.asSecret().body(segment(key, TWO_ORDERS)).post("/v1/segments").then().statusCode(409)
                .body("detail", containsString("built-in"));
        site.asSecret().body(segment(key, TWO_ORDERS)).put("/v1/segments/" + key).then().statusCode(409)
                .body("detail", containsString("only custom segments can be changed"));
        site.asSecret().delete("/v1/segments/" + key).then().statusCode(409)
                .body("detail", containsString("only custom segments can be deleted"));
    }

    @ParameterizedTest
    @CsvSource({ "Big-Spenders", "-leading-dash", "with space", "under_score", "a234567890123456789012345678901234567890123456789012345678901234" })
    void refusesMalformedKeys(String key) {
        TestSite site = TestSites.create();
        site.asSecret().body(segment(key, TWO_ORDERS)).post("/v1/segments").then().statusCode(400)
                .body("errors[0].field", equalTo("key"));
    }

    @Test
    void listsEveryMissingFieldAtOnce() {
        TestSite site = TestSites.create();
        site.asSecret().body(Map.of("key", "x")).post("/v1/segments").then().statusCode(400)
                .body("errors.field", equalTo(List.of("name", "rule")));
        site.asSecret().contentType(ContentType.JSON).body("{\"key\": \"x\", \"name\": \"X\", \"rule\": \"event\"}").post("/v1/segments")
                .then().statusCode(400).body("errors[0].field", equalTo("rule"));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"all\": [{\"event\": \"A\"}, {\"event\": \"B\"}, {\"event\": \"C\", \"within\": \"P3X\"}]}|rule.all[2].within|'P3X' is not an ISO-8601 period",
            "{\"all\": [{\"evnt\": \"A\"}]}|rule.all[0].evnt|unknown condition 'evnt'",
            "{\"event\": \"A\", \"count\": {\"atleast\": 1}}|rule.count.atleast|unknown count operator",
            "{\"trait\": \"plan\", \"eq\": [1]}|rule.eq|must be a string, a number or a boolean",
            "{\"metric\": \"orders\", \"gte\": \"two\"}|rule.gte|must be a number",
            "{\"any\": [{\"stage\": \"nirvana\"}]}|rule.any[0].stage|unknown stage",
            "{\"all\": [{\"event\": \"A\"}, {\"not\": {\"segment\": \"big-spenders\"}}]}|rule.all[1].not.segment|unknown segment 'big-spenders'",
            "[]|rule|must be a condition object",
    })
    void refusesBrokenRulesPointingAtTheBrokenPartAndStoresNothing(String rule, String field, String message) {
        TestSite site = TestSites.create();
        site.asSecret().body(segment("broken", rule)).post("/v1/segments").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo(field))
                .body("errors[0].message", containsString(message));
        site.asSecret().get("/v1/segments/broken").then().statusCode(404);
    }

    @Test
    void refusesNestingDeeperThanTwentyLevels() {
        TestSite site = TestSites.create();
        String rule = "{\"event\": \"A\"}";
        for (int i = 0; i < 21; i++) {
            rule = "{\"not\": " + rule + "}";
        }
        site.asSecret().body(segment("deep", rule)).post("/v1/segments").then().statusCode(400)
                .body("errors[0].field", equalTo("rule" + ".not".repeat(20)))
                .body("errors[0].message", containsString("deeper than 20"));
    }

    @Test
    void refusesCyclesNamingThem() {
        TestSite site = TestSites.create();
        create(site, "alpha", TWO_ORDERS);
        create(site, "beta", "{\"segment\": \"alpha\"}");
        create(site, "gamma", "{\"all\": [{\"segment\": \"beta\"}, {\"segment\": \"vip\"}]}");

        site.asSecret().body(segment("alpha", "{\"any\": [{\"event\": \"A\"}, {\"segment\": \"gamma\"}]}")).put("/v1/segments/alpha").then()
                .statusCode(400)
                .body("errors[0].field", equalTo("rule.any[1].segment"))
                .body("errors[0].message", equalTo("segment cycle: alpha → gamma → beta → alpha"));
        site.asSecret().body(segment("alpha", "{\"segment\": \"alpha\"}")).put("/v1/segments/alpha").then().statusCode(400)
                .body("errors[0].message", containsString("segment cycle: alpha → alpha"));
        site.asSecret().get("/v1/segments/alpha").then().statusCode(200);
        site.asSecret().body(segment("beta", TWO_ORDERS)).put("/v1/segments/beta").then().statusCode(200);
    }

    @Test
    void aSegmentOthersUseCannotBeDeleted() {
        TestSite site = TestSites.create();
        create(site, "alpha", TWO_ORDERS);
        create(site, "beta", "{\"not\": {\"segment\": \"alpha\"}}");
        site.asSecret().delete("/v1/segments/alpha").then().statusCode(409).body("detail", containsString("used by beta"));
        site.asSecret().delete("/v1/segments/beta").then().statusCode(204);
        site.asSecret().delete("/v1/segments/alpha").then().statusCode(204);
    }

    @Test
    void replaceRefusesUnknownSegmentsAndAnotherKey() {
        TestSite site = TestSites.create();
        site.asSecret().body(segment("ghost", TWO_ORDERS)).put("/v1/segments/ghost").then().statusCode(404);
        create(site, "alpha", TWO_ORDERS);
        site.asSecret().body(segment("beta", TWO_ORDERS)).put("/v1/segments/alpha").then().statusCode(400)
                .body("errors[0].field", equalTo("key"));
    }

    @Test
    void tenantIsolation() {
        TestSite own = TestSites.create();
        TestSite other = TestSites.create();
        create(own, "mine", TWO_ORDERS);

        // another site's secret key: the segment does not exist for it
        other.asSecret().body(segment("mine", TWO_ORDERS)).put("/v1/segments/mine").then().statusCode(404);
        other.asSecret().delete("/v1/segments/mine").then().statusCode(404);
        other.asSecret().body(segment("theirs", "{\"segment\": \"mine\"}")).post("/v1/segments").then().statusCode(400)
                .body("errors[0].message", equalTo("unknown segment 'mine'"));
        List<Object> otherKeys = new ArrayList<>(other.asSecret().get("/v1/segments").jsonPath().getList("key"));
        org.junit.jupiter.api.Assertions.assertFalse(otherKeys.contains("mine"));
        // the write key may not manage segments; no key at all is unauthorized
        own.asWrite().body(segment("w", TWO_ORDERS)).post("/v1/segments").then().statusCode(403);
        own.asWrite().body(segment("mine", TWO_ORDERS)).put("/v1/segments/mine").then().statusCode(403);
        own.asWrite().delete("/v1/segments/mine").then().statusCode(403);
        given().contentType(ContentType.JSON).body(segment("n", TWO_ORDERS)).post("/v1/segments").then().statusCode(401);
        given().contentType(ContentType.JSON).body(segment("mine", TWO_ORDERS)).put("/v1/segments/mine").then().statusCode(401);
        given().delete("/v1/segments/mine").then().statusCode(401);
        // keys are per site: the other site may use the same key for its own segment
        create(other, "mine", "{\"event\": \"Signed Up\"}");
        own.asSecret().get("/v1/segments/mine").then().statusCode(200).body("name", equalTo("Segment mine"));
        // and the owner still can
        own.asSecret().body(segment("mine", TWO_ORDERS)).put("/v1/segments/mine").then().statusCode(200);
        own.asSecret().delete("/v1/segments/mine").then().statusCode(204);
    }
}

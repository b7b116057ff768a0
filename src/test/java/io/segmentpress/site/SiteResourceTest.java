package io.segmentpress.site;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.segmentpress.TestSites;
import io.segmentpress.TestSites.TestSite;
import io.segmentpress.common.time.AppClock;

@QuarkusTest
class SiteResourceTest {

    @Inject
    DataSource dataSource;

    @Inject
    AppClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void createsSiteWithKeysShownOnceAndLocation() {
        TestSites.asAdmin()
                .body(Map.of("name", "Recipes", "url", "https://recipes.example.com", "allowedOrigins", List.of("https://recipes.example.com"),
                        "timezone", "Europe/Berlin", "currency", "eur"))
                .post("/v1/sites")
                .then().statusCode(201)
                .contentType(ContentType.JSON)
                .header("Location", matchesPattern(".*/v1/sites/\\d+$"))
                .body("writeKey", matchesPattern("wk_[0-9A-Za-z]{33}"))
                .body("secretKey", matchesPattern("sk_[0-9A-Za-z]{33}"))
                .body("timezone", equalTo("Europe/Berlin"))
                .body("currency", equalTo("EUR"))
                .body("createdAt", notNullValue());
    }

    @Test
    void listAndGetNeverShowKeys() {
        TestSite site = TestSites.create();
        TestSites.asAdmin().get("/v1/sites/" + site.id())
                .then().statusCode(200)
                .body("id", equalTo((int) site.id()))
                .body("$", not(org.hamcrest.Matchers.hasKey("writeKey")))
                .body("$", not(org.hamcrest.Matchers.hasKey("secretKey")));
        TestSites.asAdmin().get("/v1/sites")
                .then().statusCode(200)
                .body("id", hasItem((int) site.id()))
                .body(not(containsString(site.secretKey())));
    }

    @Test
    void storesOnlyHashesOfKeys() throws Exception {
        TestSite site = TestSites.create();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT key_hash, key_hint FROM site_key WHERE site_id = " + site.id())) {
            int keys = 0;
            while (rs.next()) {
                keys++;
                String hash = rs.getString(1);
                assertFalse(hash.contains(site.secretKey()) || hash.contains(site.writeKey()));
                assertEquals(64, hash.length());
            }
            assertEquals(2, keys);
        }
    }

    @Test
    void rejectsInvalidSiteListingEveryBadField() {
        TestSites.asAdmin()
                .body(Map.of("name", "", "url", "ftp://x", "allowedOrigins", List.of("https://ok.example.com/path"),
                        "timezone", "Mars/Olympus", "currency", "XXXX"))
                .post("/v1/sites")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItems("name", "url", "allowedOrigins[0]", "timezone", "currency"));
    }

    @Test
    void rejectsMalformedJsonAsProblem() {
        TestSites.asAdmin().body("{\"name\": ").post("/v1/sites")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", not(containsString("jackson")));
    }

    @Test
    void rejectsWrongTypeNamingTheField() {
        TestSites.asAdmin().body("{\"name\": \"x\", \"url\": \"https://a.example\", \"allowedOrigins\": \"https://a.example\"}")
                .post("/v1/sites")
                .then().statusCode(400).body("errors[0].field", equalTo("allowedOrigins"));
    }

    @Test
    void refusesNonJsonBody() {
        TestSites.asAdmin().contentType(ContentType.XML).body("<site/>").post("/v1/sites")
                .then().statusCode(415).contentType("application/problem+json");
    }

    @Test
    void refusesMissingOrWrongAdminToken() {
        given().get("/v1/sites").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer nope").get("/v1/sites").then().statusCode(401);
        TestSite site = TestSites.create();
        given().header("Authorization", "Bearer " + site.secretKey()).get("/v1/sites").then().statusCode(403);
        given().header("Authorization", "Bearer " + site.writeKey()).get("/v1/sites").then().statusCode(403);
    }

    @Test
    void patchChangesOnlyGivenFields() {
        TestSite site = TestSites.create();
        TestSites.asAdmin().body(Map.of("name", "Renamed")).patch("/v1/sites/" + site.id())
                .then().statusCode(200)
                .body("name", equalTo("Renamed"))
                .body("url", equalTo(TestSites.ORIGIN));
        TestSites.asAdmin().body(Map.of("timezone", "Nowhere/City")).patch("/v1/sites/" + site.id())
                .then().statusCode(400).body("errors[0].field", equalTo("timezone"));
    }

    @Test
    void unknownSiteIs404() {
        TestSites.asAdmin().get("/v1/sites/987654321").then().statusCode(404).contentType("application/problem+json");
        TestSites.asAdmin().body(Map.of("name", "x")).patch("/v1/sites/987654321").then().statusCode(404);
        TestSites.asAdmin().body(Map.of("which", "write")).post("/v1/sites/987654321/keys/rotate").then().statusCode(404);
    }

    @Test
    void ownSiteAnswersSecretKeyOnly() {
        TestSite site = TestSites.create();
        site.asSecret().get("/v1/site").then().statusCode(200).body("id", equalTo((int) site.id()));
        site.asWrite().get("/v1/site").then().statusCode(403);
        given().get("/v1/site").then().statusCode(401);
        given().header("Authorization", "Bearer sk_doesnotexist000000000000000000000").get("/v1/site").then().statusCode(401);
    }

    @Test
    void rotatedKeyKeepsWorkingForTheGracePeriod() {
        TestSite site = TestSites.create();
        String newKey = TestSites.asAdmin().body(Map.of("which", "secret")).post("/v1/sites/" + site.id() + "/keys/rotate")
                .then().statusCode(200).body("key", matchesPattern("sk_.*")).body("which", equalTo("secret"))
                .extract().path("key");
        given().header("Authorization", "Bearer " + site.secretKey()).get("/v1/site").then().statusCode(200);
        given().header("Authorization", "Bearer " + newKey).get("/v1/site").then().statusCode(200);
        clock.advance(java.time.Duration.ofHours(25));
        given().header("Authorization", "Bearer " + site.secretKey()).get("/v1/site").then().statusCode(401);
        given().header("Authorization", "Bearer " + newKey).get("/v1/site").then().statusCode(200);
    }

    @Test
    void immediateRotationRevokesAtOnce() {
        TestSite site = TestSites.create();
        String newKey = TestSites.asAdmin().body(Map.of("which", "write"))
                .post("/v1/sites/" + site.id() + "/keys/rotate?immediately=true")
                .then().statusCode(200).body("key", matchesPattern("wk_.*")).extract().path("key");
        given().header("Authorization", "Bearer " + site.writeKey()).contentType(ContentType.JSON)
                .body(Map.of("event", "X", "anonymousId", "a-1")).post("/v1/track").then().statusCode(401);
        given().header("Authorization", "Bearer " + newKey).contentType(ContentType.JSON)
                .body(Map.of("event", "X", "anonymousId", "a-1")).post("/v1/track").then().statusCode(200);
    }

    @Test
    void rotationNeedsAKnownKind() {
        TestSite site = TestSites.create();
        TestSites.asAdmin().body(Map.of("which", "admin")).post("/v1/sites/" + site.id() + "/keys/rotate")
                .then().statusCode(400).body("errors[0].field", equalTo("which"));
    }

    @Test
    void errorsNeverLeakInternals() {
        TestSites.asAdmin().get("/v1/sites/not-a-number").then().statusCode(404)
                .body(not(containsString("Exception")));
        given().get("/v1/nowhere").then().statusCode(404).contentType("application/problem+json")
                .body("title", equalTo("Not found"));
    }
}

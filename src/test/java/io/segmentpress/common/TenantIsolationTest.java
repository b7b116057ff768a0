package io.segmentpress.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.segmentpress.TestSites;
import io.segmentpress.TestSites.TestSite;

/**
 * Every foundation endpoint × (own secret key, other site's key, write key, no key). Each
 * refused call is paired with the allowed control call, so a test cannot pass because the
 * endpoint is simply broken.
 */
@QuarkusTest
class TenantIsolationTest {

    private TestSite own;
    private TestSite other;

    @BeforeEach
    void sites() {
        own = TestSites.create();
        other = TestSites.create();
        own.asSecret().body(item("Own post")).put("/v1/content/10").then().statusCode(201);
    }

    private static Map<String, Object> item(String title) {
        return Map.of("title", title, "url", "https://shop.example.com/p", "type", "post", "status", "publish");
    }

    private static RequestSpecification as(String key) {
        RequestSpecification spec = given().contentType(ContentType.JSON);
        return key == null ? spec : spec.header("Authorization", "Bearer " + key);
    }

    @Test
    void ownSiteSettings() {
        as(own.secretKey()).get("/v1/site").then().statusCode(200).body("id", equalTo((int) own.id()));
        as(other.secretKey()).get("/v1/site").then().statusCode(200).body("id", not(equalTo((int) own.id())));
        as(own.writeKey()).get("/v1/site").then().statusCode(403);
        as(null).get("/v1/site").then().statusCode(401);
    }

    @Test
    void readOneContentItem() {
        as(own.secretKey()).get("/v1/content/10").then().statusCode(200);
        as(other.secretKey()).get("/v1/content/10").then().statusCode(404);
        as(own.writeKey()).get("/v1/content/10").then().statusCode(403);
        as(null).get("/v1/content/10").then().statusCode(401);
    }

    @Test
    void listContent() {
        as(own.secretKey()).get("/v1/content").then().statusCode(200).body("items", hasSize(1));
        as(other.secretKey()).get("/v1/content").then().statusCode(200).body("items", hasSize(0));
        as(own.writeKey()).get("/v1/content").then().statusCode(403);
        as(null).get("/v1/content").then().statusCode(401);
    }

    @Test
    void writeContent() {
        as(other.secretKey()).body(item("Other's")).put("/v1/content/10").then().statusCode(201); // its own item 10
        as(own.secretKey()).get("/v1/content/10").then().body("title", equalTo("Own post"));
        as(own.writeKey()).body(item("x")).put("/v1/content/11").then().statusCode(403);
        as(null).body(item("x")).put("/v1/content/11").then().statusCode(401);
        as(own.writeKey()).body(Map.of("items", List.of())).post("/v1/content/batch").then().statusCode(403);
        as(own.secretKey()).body(Map.of("items", List.of())).post("/v1/content/batch").then().statusCode(200);
    }

    @Test
    void deleteContent() {
        as(other.secretKey()).delete("/v1/content/10").then().statusCode(404);
        as(own.writeKey()).delete("/v1/content/10").then().statusCode(403);
        as(null).delete("/v1/content/10").then().statusCode(401);
        as(own.secretKey()).get("/v1/content/10").then().statusCode(200);
        as(own.secretKey()).delete("/v1/content/10").then().statusCode(204);
    }

    @Test
    void sendEvents() {
        Map<String, Object> batch = Map.of("batch", List.of(Map.of("type", "track", "event", "X", "anonymousId", "iso-1")));
        as(own.writeKey()).body(batch).post("/v1/batch").then().statusCode(200);
        as(own.secretKey()).body(batch).post("/v1/batch").then().statusCode(200);
        as(null).body(batch).post("/v1/batch").then().statusCode(401);
        for (String path : List.of("/v1/track", "/v1/page", "/v1/identify")) {
            Map<String, Object> event = Map.of("event", "X", "anonymousId", "iso-2", "userId", "iso-user");
            as(own.writeKey()).body(event).post(path).then().statusCode(200);
            as(null).body(event).post(path).then().statusCode(401);
        }
    }

    @Test
    void siteAdministrationNeedsTheAdminToken() {
        for (String key : new String[] { own.secretKey(), own.writeKey(), null }) {
            int refused = key == null ? 401 : 403; // a valid key without the right is 403
            as(key).get("/v1/sites").then().statusCode(refused);
            as(key).get("/v1/sites/" + own.id()).then().statusCode(refused);
            as(key).body(Map.of("name", "x")).patch("/v1/sites/" + own.id()).then().statusCode(refused);
            as(key).body(Map.of("which", "secret")).post("/v1/sites/" + own.id() + "/keys/rotate").then().statusCode(refused);
            as(key).body(Map.of("name", "x", "url", "https://x.example")).post("/v1/sites").then().statusCode(refused);
        }
        TestSites.asAdmin().get("/v1/sites/" + own.id()).then().statusCode(200);
    }
}

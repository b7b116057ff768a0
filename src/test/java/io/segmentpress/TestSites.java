package io.segmentpress;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Creates sites through the public API and sends requests as one of them. Shared by every test. */
public final class TestSites {

    public static final String ADMIN_TOKEN = "test-admin-token";
    public static final String ORIGIN = "https://shop.example.com";

    /** A site created for one test, with its keys. */
    public record TestSite(long id, String writeKey, String secretKey) {

        public RequestSpecification asSecret() {
            return given().header("Authorization", "Bearer " + secretKey).contentType(ContentType.JSON);
        }

        public RequestSpecification asWrite() {
            return given().header("Authorization", "Bearer " + writeKey).contentType(ContentType.JSON);
        }

        /** Sends a batch of events with the write key and returns the response (expected 200). */
        public Response sendBatch(List<Map<String, Object>> events) {
            return asWrite().body(Map.of("batch", events)).post("/v1/batch");
        }
    }

    private TestSites() {
    }

    public static RequestSpecification asAdmin() {
        return given().header("Authorization", "Bearer " + ADMIN_TOKEN).contentType(ContentType.JSON);
    }

    public static TestSite create() {
        return create("UTC");
    }

    public static TestSite create(String timezone) {
        Response response = asAdmin()
                .body(Map.of("name", "Test " + UUID.randomUUID(), "url", ORIGIN, "allowedOrigins", List.of(ORIGIN),
                        "timezone", timezone, "currency", "USD"))
                .post("/v1/sites");
        if (response.statusCode() != 201) {
            throw new AssertionError("site creation failed: " + response.asString());
        }
        return new TestSite(response.jsonPath().getLong("id"), response.jsonPath().getString("writeKey"),
                response.jsonPath().getString("secretKey"));
    }

    /** A unique id for anonymousIds, userIds and messageIds, so tests never collide. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }
}

package io.segmentpress.segment;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Builds sites, content and visitor histories through the public API for segment tests. */
final class SegmentFixtures {

    static final String ADMIN_TOKEN = "test-admin-token";

    private SegmentFixtures() {
    }

    /** A site created for one test, with its keys. */
    record Site(long id, String writeKey, String secretKey) {

        RequestSpecification asSecret() {
            return given().header("Authorization", "Bearer " + secretKey).contentType(ContentType.JSON);
        }

        RequestSpecification asWrite() {
            return given().header("Authorization", "Bearer " + writeKey).contentType(ContentType.JSON);
        }

        void send(List<Map<String, Object>> events) {
            for (int start = 0; start < events.size(); start += 100) {
                Response response = asWrite().body(Map.of("batch", events.subList(start, Math.min(events.size(), start + 100))))
                        .post("/v1/batch");
                if (response.statusCode() != 200 || !response.jsonPath().getList("rejected").isEmpty()) {
                    throw new AssertionError("batch not accepted: " + response.asString());
                }
            }
        }

        void content(long contentId, String type, String categorySlug, String journeyStage) {
            Map<String, Object> item = new HashMap<>();
            item.put("title", "Post " + contentId);
            item.put("url", "https://shop.example.com/p/" + contentId);
            item.put("type", type);
            item.put("status", "publish");
            item.put("categories", List.of(Map.of("slug", categorySlug, "name", categorySlug.substring(0, 1).toUpperCase() + categorySlug.substring(1))));
            item.put("tags", List.of());
            if (journeyStage != null) {
                item.put("journeyStage", journeyStage);
            }
            int status = asSecret().body(item).put("/v1/content/" + contentId).statusCode();
            if (status != 200 && status != 201) {
                throw new AssertionError("content not stored: " + status);
            }
        }
    }

    static Site createSite() {
        Response response = given().header("Authorization", "Bearer " + ADMIN_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("name", "Segments " + UUID.randomUUID(), "url", "https://shop.example.com", "allowedOrigins",
                        List.of("https://shop.example.com"), "timezone", "UTC", "currency", "USD"))
                .post("/v1/sites");
        if (response.statusCode() != 201) {
            throw new AssertionError("site creation failed: " + response.asString());
        }
        return new Site(response.jsonPath().getLong("id"), response.jsonPath().getString("writeKey"),
                response.jsonPath().getString("secretKey"));
    }

    /** One visitor's event history, written relative to "now". */
    static final class History {
        final String anonymousId = "anon-" + UUID.randomUUID();
        private final Instant now;
        final List<Map<String, Object>> events = new ArrayList<>();

        History(Instant now) {
            this.now = now;
        }

        Instant daysAgo(double days) {
            return now.minus(Duration.ofMinutes(Math.round(days * 24 * 60)));
        }

        History page(double daysAgo, long postId) {
            return add(base("page", daysAgo).with("name", "Post " + postId).with("properties", Map.of("post_id", postId)));
        }

        History track(double daysAgo, String event, Map<String, Object> properties) {
            return add(base("track", daysAgo).with("event", event).with("properties", properties));
        }

        History read(double daysAgo, long postId, int engagedSeconds, int scrollDepth) {
            page(daysAgo, postId);
            return track(daysAgo - 0.001, "Content Engaged", Map.of("post_id", postId, "engaged_seconds", engagedSeconds,
                    "scroll_depth", scrollDepth));
        }

        History order(double daysAgo, String orderId, double total, String coupon, double discount) {
            Map<String, Object> properties = new HashMap<>();
            properties.put("order_id", orderId);
            properties.put("total", total);
            properties.put("currency", "USD");
            if (coupon != null) {
                properties.put("coupon", coupon);
            }
            if (discount > 0) {
                properties.put("discount", discount);
            }
            return track(daysAgo, "Order Completed", properties);
        }

        History identify(double daysAgo, String userId, Map<String, Object> traits) {
            return add(base("identify", daysAgo).with("userId", userId).with("traits", traits));
        }

        private Event base(String type, double daysAgo) {
            Event event = new Event();
            event.put("type", type);
            event.put("messageId", UUID.randomUUID().toString());
            event.put("anonymousId", anonymousId);
            event.put("timestamp", daysAgo(daysAgo).toString());
            return event;
        }

        private History add(Map<String, Object> event) {
            events.add(event);
            return this;
        }
    }

    static final class Event extends HashMap<String, Object> {
        Event with(String key, Object value) {
            put(key, value);
            return this;
        }
    }
}

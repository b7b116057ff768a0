package io.segmentpress.brief;

import static io.restassured.RestAssured.given;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;

/** A site created through the admin API, with helpers to fill its catalog and send its events. */
final class BriefTestSite {

    final long id;
    final String secretKey;
    final String writeKey;
    private final List<Map<String, Object>> pending = new ArrayList<>();

    private BriefTestSite(long id, String secretKey, String writeKey) {
        this.id = id;
        this.secretKey = secretKey;
        this.writeKey = writeKey;
    }

    static BriefTestSite create(String name, String timezone) {
        var response = given().header("Authorization", "Bearer test-admin-token").contentType(ContentType.JSON)
                .body(Map.of("name", name, "url", "https://" + UUID.randomUUID() + ".example.com", "timezone", timezone, "currency", "USD"))
                .post("/v1/sites").then().statusCode(201).extract();
        return new BriefTestSite(response.jsonPath().getLong("id"), response.jsonPath().getString("secretKey"),
                response.jsonPath().getString("writeKey"));
    }

    io.restassured.specification.RequestSpecification secret() {
        return given().header("Authorization", "Bearer " + secretKey).contentType(ContentType.JSON);
    }

    void putContent(List<Map<String, Object>> items) {
        for (int from = 0; from < items.size(); from += 500) {
            secret().body(Map.of("items", items.subList(from, Math.min(items.size(), from + 500))))
                    .post("/v1/content/batch").then().statusCode(200).body("rejected.size()", org.hamcrest.Matchers.is(0));
        }
    }

    static Map<String, Object> post(long id, String title, String category, List<String> tags, Instant modified, String journeyStage) {
        Map<String, Object> item = new HashMap<>();
        item.put("contentId", id);
        item.put("title", title);
        item.put("url", "https://shop.example.com/?p=" + id);
        item.put("type", "post");
        item.put("status", "publish");
        item.put("publishedAt", modified.toString());
        item.put("modifiedAt", modified.toString());
        item.put("categories", List.of(Map.of("slug", category, "name", nameOf(category))));
        item.put("tags", tags.stream().map(t -> Map.of("slug", t, "name", nameOf(t))).toList());
        item.put("wordCount", 1200);
        if (journeyStage != null) {
            item.put("journeyStage", journeyStage);
        }
        return item;
    }

    static String nameOf(String slug) {
        if (slug.equals("gluten-free")) {
            return "Gluten-Free";
        }
        StringBuilder name = new StringBuilder();
        for (String part : slug.split("-")) {
            if (name.length() > 0) {
                name.append(' ');
            }
            name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return name.toString();
    }

    // ----- events (queued, sent by flush) --------------------------------------------------------

    BriefTestSite page(String anonymousId, Instant at, long postId) {
        return queue(Map.of("type", "page", "name", "Post " + postId, "anonymousId", anonymousId, "timestamp", at.toString(),
                "properties", Map.of("post_id", postId, "url", "https://shop.example.com/?p=" + postId)));
    }

    /** A page view and, a few seconds later, the engagement report the tracker sends when the reader leaves. */
    BriefTestSite read(String anonymousId, Instant at, long postId, int engagedSeconds, int scrollDepth) {
        page(anonymousId, at, postId);
        return track(anonymousId, at.plusSeconds(engagedSeconds), "Content Engaged",
                Map.of("post_id", postId, "engaged_seconds", engagedSeconds, "scroll_depth", scrollDepth));
    }

    BriefTestSite search(String anonymousId, Instant at, String query) {
        return track(anonymousId, at, "Products Searched", Map.of("query", query));
    }

    BriefTestSite order(String anonymousId, Instant at, double revenue, String coupon) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("order_id", UUID.randomUUID().toString());
        properties.put("total", revenue);
        properties.put("revenue", revenue);
        if (coupon != null) {
            properties.put("coupon", coupon);
            properties.put("discount", 5);
        }
        return track(anonymousId, at, "Order Completed", properties);
    }

    BriefTestSite track(String anonymousId, Instant at, String event, Map<String, Object> properties) {
        return queue(Map.of("type", "track", "event", event, "anonymousId", anonymousId, "timestamp", at.toString(), "properties", properties));
    }

    private BriefTestSite queue(Map<String, Object> event) {
        Map<String, Object> withId = new HashMap<>(event);
        withId.put("messageId", UUID.randomUUID().toString());
        pending.add(withId);
        return this;
    }

    /** Sends every queued event through POST /v1/batch, 200 a request. */
    void flush() {
        for (int from = 0; from < pending.size(); from += 200) {
            secret().body(Map.of("batch", pending.subList(from, Math.min(pending.size(), from + 200))))
                    .post("/v1/batch").then().statusCode(200).body("rejected.size()", org.hamcrest.Matchers.is(0));
        }
        pending.clear();
    }
}

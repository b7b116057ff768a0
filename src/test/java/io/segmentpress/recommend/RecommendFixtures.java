package io.segmentpress.recommend;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.restassured.response.Response;
import io.segmentpress.TestSites;
import io.segmentpress.TestSites.TestSite;

/** Builds catalogs and visitor behavior through the public API for recommendation tests. */
final class RecommendFixtures {

    private RecommendFixtures() {
    }

    /** A catalog item as PUT /v1/content/{id} takes it. */
    static Map<String, Object> item(String title, String type, String category, Instant publishedAt) {
        Map<String, Object> item = new HashMap<>();
        item.put("title", title);
        item.put("url", TestSites.ORIGIN + "/" + title.toLowerCase().replaceAll("[^a-z0-9]+", "-"));
        item.put("type", type);
        item.put("status", "publish");
        item.put("publishedAt", publishedAt.toString());
        item.put("categories", List.of(Map.of("slug", category, "name", Character.toUpperCase(category.charAt(0)) + category.substring(1))));
        item.put("tags", List.of());
        item.put("wordCount", 800);
        return item;
    }

    static void put(TestSite site, long contentId, Map<String, Object> item) {
        Response response = site.asSecret().body(item).put("/v1/content/" + contentId);
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new AssertionError("content PUT failed: " + response.asString());
        }
    }

    static Map<String, Object> pageView(String anonymousId, long postId, Instant at) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "page");
        event.put("anonymousId", anonymousId);
        event.put("messageId", TestSites.unique("m"));
        event.put("properties", Map.of("post_id", postId));
        event.put("timestamp", at.toString());
        return event;
    }

    static Map<String, Object> track(String anonymousId, String name, Map<String, Object> properties, Instant at) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "track");
        event.put("event", name);
        event.put("anonymousId", anonymousId);
        event.put("messageId", TestSites.unique("m"));
        event.put("properties", properties);
        event.put("timestamp", at.toString());
        return event;
    }

    static void send(TestSite site, List<Map<String, Object>> events) {
        for (int from = 0; from < events.size(); from += 400) {
            Response response = site.sendBatch(new ArrayList<>(events.subList(from, Math.min(events.size(), from + 400))));
            if (response.statusCode() != 200 || response.jsonPath().getList("rejected").size() > 0) {
                throw new AssertionError("batch failed: " + response.asString());
            }
        }
    }

    /** GET /v1/recommendations as the site's write key. */
    static Response recommendations(TestSite site, String query) {
        return site.asWrite().get("/v1/recommendations?" + query);
    }

    static List<Long> contentIds(Response response) {
        return response.jsonPath().getList("items.contentId", Long.class);
    }
}

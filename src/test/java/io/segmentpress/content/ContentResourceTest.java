package io.segmentpress.content;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.segmentpress.TestSites;
import io.segmentpress.TestSites.TestSite;

@QuarkusTest
class ContentResourceTest {

    static Map<String, Object> post(String title) {
        Map<String, Object> item = new HashMap<>();
        item.put("title", title);
        item.put("url", "https://shop.example.com/" + title.toLowerCase().replace(' ', '-'));
        item.put("type", "post");
        item.put("status", "publish");
        item.put("publishedAt", "2026-03-01T09:00:00Z");
        item.put("modifiedAt", "2026-03-02T09:00:00Z");
        item.put("categories", List.of(Map.of("slug", "recipes", "name", "Recipes")));
        item.put("tags", List.of(Map.of("slug", "vegan", "name", "Vegan"), Map.of("slug", "quick", "name", "Quick")));
        item.put("excerpt", "A short summary");
        item.put("wordCount", 1200);
        item.put("journeyStage", "consideration");
        return item;
    }

    @Test
    void putCreatesThenReplaces() {
        TestSite site = TestSites.create();
        site.asSecret().body(post("Vegan Lasagna")).put("/v1/content/101")
                .then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/v1/content/101"))
                .body("contentId", equalTo(101))
                .body("categories.slug", contains("recipes"))
                .body("tags.slug", contains("vegan", "quick"))
                .body("journeyStage", equalTo("consideration"));
        Map<String, Object> changed = post("Vegan Lasagna, Revised");
        changed.put("status", "draft");
        changed.put("tags", List.of());
        site.asSecret().body(changed).put("/v1/content/101")
                .then().statusCode(200)
                .body("title", equalTo("Vegan Lasagna, Revised"))
                .body("status", equalTo("draft"))
                .body("tags", hasSize(0));
        site.asSecret().get("/v1/content/101").then().statusCode(200).body("status", equalTo("draft"));
        site.asSecret().body(changed).put("/v1/content/101").then().statusCode(200); // unchanged repeat is still an update
    }

    @Test
    void rejectsInvalidItemNamingEachField() {
        TestSite site = TestSites.create();
        Map<String, Object> bad = post("x");
        bad.put("title", "");
        bad.put("url", "javascript:alert(1)");
        bad.put("type", "movie");
        bad.put("journeyStage", "nirvana");
        bad.put("wordCount", -5);
        bad.put("categories", List.of(Map.of("slug", "bad slug!", "name", "Bad")));
        site.asSecret().body(bad).put("/v1/content/5")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("title", "url", "type", "journeyStage", "wordCount", "categories[0].slug"));
        site.asSecret().get("/v1/content/5").then().statusCode(404);
    }

    @Test
    void batchStoresValidItemsAndReportsRejectedOnes() {
        TestSite site = TestSites.create();
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Map<String, Object> item = post("Post " + i);
            item.put("contentId", i);
            items.add(item);
        }
        Map<String, Object> noId = post("No id");
        items.add(noId);
        Map<String, Object> badType = post("Bad");
        badType.put("contentId", 9);
        badType.put("type", "video");
        items.add(badType);
        site.asSecret().body(Map.of("items", items)).post("/v1/content/batch")
                .then().statusCode(200)
                .body("upserted", equalTo(3))
                .body("rejected.index", contains(3, 4))
                .body("rejected[1].contentId", equalTo(9))
                .body("rejected[0].errors[0].field", equalTo("contentId"));
        site.asSecret().get("/v1/content").then().statusCode(200).body("items.contentId", contains(1, 2, 3));
    }

    @Test
    void batchOverFiveHundredIsRefusedWhole() {
        TestSite site = TestSites.create();
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 1; i <= 501; i++) {
            Map<String, Object> item = new HashMap<>();
            item.put("contentId", i);
            item.put("title", "T" + i);
            item.put("url", "https://shop.example.com/" + i);
            item.put("type", "post");
            item.put("status", "publish");
            items.add(item);
        }
        site.asSecret().body(Map.of("items", items)).post("/v1/content/batch").then().statusCode(413);
        site.asSecret().get("/v1/content").then().body("items", hasSize(0));
        site.asSecret().body(Map.of("items", items.subList(0, 500))).post("/v1/content/batch").then().statusCode(200).body("upserted", equalTo(500));
    }

    @Test
    void listPagesWithCursor() {
        TestSite site = TestSites.create();
        for (int i = 1; i <= 5; i++) {
            site.asSecret().body(post("Item " + i)).put("/v1/content/" + (i * 10)).then().statusCode(201);
        }
        String cursor = site.asSecret().queryParam("limit", 2).get("/v1/content")
                .then().statusCode(200).body("items.contentId", contains(10, 20)).body("nextCursor", notNullValue())
                .extract().path("nextCursor");
        cursor = site.asSecret().queryParam("limit", 2).queryParam("cursor", cursor).get("/v1/content")
                .then().body("items.contentId", contains(30, 40)).extract().path("nextCursor");
        site.asSecret().queryParam("limit", 2).queryParam("cursor", cursor).get("/v1/content")
                .then().body("items.contentId", contains(50)).body("nextCursor", nullValue());
        site.asSecret().queryParam("limit", 0).get("/v1/content").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        site.asSecret().queryParam("cursor", "garbage!").get("/v1/content").then().statusCode(400).body("errors[0].field", equalTo("cursor"));
    }

    @Test
    void deleteRemovesTheItem() {
        TestSite site = TestSites.create();
        site.asSecret().body(post("Gone soon")).put("/v1/content/77").then().statusCode(201);
        site.asSecret().delete("/v1/content/77").then().statusCode(204);
        site.asSecret().get("/v1/content/77").then().statusCode(404);
        site.asSecret().delete("/v1/content/77").then().statusCode(404);
    }

    @Test
    void sitesNeverSeeEachOthersCatalog() {
        TestSite a = TestSites.create();
        TestSite b = TestSites.create();
        a.asSecret().body(post("Private")).put("/v1/content/500").then().statusCode(201);
        b.asSecret().get("/v1/content/500").then().statusCode(404);
        b.asSecret().delete("/v1/content/500").then().statusCode(404);
        b.asSecret().get("/v1/content").then().body("items", hasSize(0));
        b.asSecret().body(post("Mine")).put("/v1/content/500").then().statusCode(201);
        a.asSecret().get("/v1/content/500").then().body("title", equalTo("Private"));
    }
}

package io.segmentpress.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.segmentpress.TestSites;
import io.segmentpress.TestSites.TestSite;

@QuarkusTest
class IngestResourceTest {

    @Inject
    DataSource dataSource;

    @Inject
    io.segmentpress.segment.SegmentEngine engine;

    private static Map<String, Object> track(String event, String anonymousId) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", "track");
        e.put("event", event);
        e.put("anonymousId", anonymousId);
        e.put("messageId", TestSites.unique("m"));
        return e;
    }

    private static List<Map<String, Object>> tracks(int count, String anonymousId) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(track("Product Viewed", anonymousId));
        }
        return events;
    }

    @Test
    void acceptsBatchTheWaySegmentLibrariesSendIt() throws Exception {
        TestSite site = TestSites.create();
        String anonymousId = TestSites.unique("anon");
        String basic = Base64.getEncoder().encodeToString((site.writeKey() + ":").getBytes(StandardCharsets.UTF_8));
        String body = """
                {"batch":[
                  {"type":"track","event":"Order Completed","messageId":"ajs-%1$s-1","anonymousId":"%1$s",
                   "properties":{"order_id":"50314b8e","total":27.5,"revenue":25.0,"discount":2.5,"coupon":"hasbros","currency":"USD",
                                 "products":[{"product_id":"507f1f77","price":19,"quantity":1,"category":"Games"}]},
                   "context":{"library":{"name":"analytics.js","version":"4.1.0"},"ip":"203.0.113.9",
                              "page":{"url":"https://shop.example.com/checkout","referrer":"https://google.com/"},"userAgent":"Mozilla/5.0"},
                   "timestamp":"2026-01-01T12:00:00.000Z","sentAt":"2026-01-01T12:00:00.000Z","integrations":{},"_metadata":{"bundled":["Segment.io"]}},
                  {"type":"page","name":"Checkout","messageId":"ajs-%1$s-2","anonymousId":"%1$s","properties":{"post_id":42,"title":"Checkout"}}
                ],"sentAt":"2026-01-01T12:00:01.000Z","context":{"library":{"name":"analytics-node"}}}
                """.formatted(anonymousId);
        given().header("Authorization", "Basic " + basic).contentType(ContentType.JSON).body(body).post("/v1/batch")
                .then().statusCode(200)
                .body("accepted", equalTo(2)).body("duplicates", equalTo(0)).body("rejected", hasSize(0));

        Map<String, Object> order = row("SELECT name, order_id, revenue, discount, coupon, url, referrer, context FROM event WHERE site_id = ? AND message_id = ?",
                site.id(), "ajs-" + anonymousId + "-1");
        assertEquals("Order Completed", order.get("name"));
        assertEquals("50314b8e", order.get("order_id"));
        assertEquals(0, new java.math.BigDecimal("25.00").compareTo((java.math.BigDecimal) order.get("revenue")));
        assertEquals("hasbros", order.get("coupon"));
        assertEquals("https://shop.example.com/checkout", order.get("url"));
        assertFalse(String.valueOf(order.get("context")).contains("203.0.113.9"), "the IP address must not be stored");
        Map<String, Object> page = row("SELECT type, post_id FROM event WHERE site_id = ? AND message_id = ?", site.id(), "ajs-" + anonymousId + "-2");
        assertEquals("page", page.get("type"));
        assertEquals(42L, ((Number) page.get("post_id")).longValue());
    }

    @Test
    void storesValidEventsAndReportsEveryRejectedOne() {
        TestSite site = TestSites.create();
        Map<String, Object> noId = track("Viewed", null);
        noId.remove("anonymousId");
        Map<String, Object> placeholder = track("Viewed", "undefined");
        Map<String, Object> wrongType = track("Viewed", "a-1");
        wrongType.put("type", "alias");
        Map<String, Object> badScroll = track("Content Engaged", "a-2");
        badScroll.put("properties", Map.of("scroll_depth", 140, "post_id", "seven"));
        site.sendBatch(List.of(track("Viewed", "a-0"), noId, placeholder, wrongType, badScroll))
                .then().statusCode(200)
                .body("accepted", equalTo(1))
                .body("rejected", hasSize(4))
                .body("rejected.index", equalTo(List.of(1, 2, 3, 4)))
                .body("rejected[0].errors[0].field", equalTo("anonymousId"))
                .body("rejected[1].errors[0].message", containsString("placeholder"))
                .body("rejected[2].errors[0].field", equalTo("type"))
                .body("rejected[3].errors.field", hasItem("properties.scroll_depth"))
                .body("rejected[3].errors.field", hasItem("properties.post_id"))
                .body("rejected[3].messageId", equalTo(badScroll.get("messageId")));
    }

    @Test
    void refusesEveryPlaceholderId() {
        TestSite site = TestSites.create();
        for (String placeholder : List.of("null", "undefined", "anonymous", "0", "-1", "00000000-0000-0000-0000-000000000000", "", "  ")) {
            site.asWrite().body(Map.of("event", "X", "anonymousId", placeholder)).post("/v1/track")
                    .then().statusCode(400).body("errors[0].field", equalTo("anonymousId"));
        }
        site.asWrite().body(Map.of("event", "X", "userId", "null")).post("/v1/track")
                .then().statusCode(400).body("errors[0].field", equalTo("userId"));
    }

    @Test
    void sameMessageIdIsStoredOnce() {
        TestSite site = TestSites.create();
        Map<String, Object> event = track("Signed Up", TestSites.unique("a"));
        site.sendBatch(List.of(event)).then().statusCode(200).body("accepted", equalTo(1));
        site.sendBatch(List.of(event, event)).then().statusCode(200).body("accepted", equalTo(0)).body("duplicates", equalTo(2));
        site.asWrite().body(event).post("/v1/track").then().statusCode(200).body("accepted", equalTo(0)).body("duplicates", equalTo(1));
        assertEquals(1L, count("SELECT COUNT(*) FROM event WHERE site_id = ? AND message_id = ?", site.id(), event.get("messageId")));
    }

    @Test
    void messageIdsArePerSite() {
        TestSite a = TestSites.create();
        TestSite b = TestSites.create();
        Map<String, Object> event = track("Signed Up", TestSites.unique("a"));
        a.sendBatch(List.of(event)).then().body("accepted", equalTo(1));
        b.sendBatch(List.of(event)).then().body("accepted", equalTo(1)).body("duplicates", equalTo(0));
    }

    @Test
    void concurrentRetriesStoreOnce() throws Exception {
        TestSite site = TestSites.create();
        String anonymousId = TestSites.unique("a");
        List<Map<String, Object>> batch = tracks(50, anonymousId);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> site.sendBatch(batch).then().statusCode(200).extract().path("accepted"));
            }
            int accepted = 0;
            for (Future<Integer> result : pool.invokeAll(calls)) {
                accepted += result.get();
            }
            assertEquals(50, accepted, "exactly one of the concurrent deliveries stores each event");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(50L, count("SELECT COUNT(*) FROM event WHERE site_id = ?", site.id()));
        assertEquals(1L, count("SELECT COUNT(DISTINCT visitor_id) FROM event WHERE site_id = ?", site.id()));
        assertEquals(1L, count("SELECT COUNT(*) FROM visitor_identity WHERE site_id = ?", site.id()));
    }

    @Test
    void acceptsFiveHundredEventsAndRefusesFiveHundredOne() {
        TestSite site = TestSites.create();
        String anonymousId = TestSites.unique("a");
        site.sendBatch(tracks(500, anonymousId)).then().statusCode(200).body("accepted", equalTo(500));
        List<Map<String, Object>> tooMany = tracks(501, anonymousId);
        site.sendBatch(tooMany).then().statusCode(413).contentType("application/problem+json");
        assertEquals(0L, count("SELECT COUNT(*) FROM event WHERE site_id = ? AND message_id = ?", site.id(), tooMany.get(0).get("messageId")));
    }

    @Test
    void eventSizeLimitIsThirtyTwoKilobytes() {
        TestSite site = TestSites.create();
        String anonymousId = TestSites.unique("a");
        Map<String, Object> atLimit = track("Big", anonymousId);
        atLimit.put("properties", Map.of("blob", ""));
        int overhead = io.segmentpress.common.Json.write(atLimit).getBytes(StandardCharsets.UTF_8).length;
        atLimit.put("properties", Map.of("blob", "x".repeat(32768 - overhead)));
        assertEquals(32768, io.segmentpress.common.Json.write(atLimit).getBytes(StandardCharsets.UTF_8).length);
        site.asWrite().body(io.segmentpress.common.Json.write(Map.of("batch", List.of(atLimit)))).post("/v1/batch")
                .then().statusCode(200).body("accepted", equalTo(1));

        Map<String, Object> overLimit = track("Big", anonymousId);
        overLimit.put("properties", Map.of("blob", "x".repeat(32768 - overhead + 1)));
        Map<String, Object> small = track("Small", anonymousId);
        site.asWrite().body(io.segmentpress.common.Json.write(Map.of("batch", List.of(small, overLimit)))).post("/v1/batch")
                .then().statusCode(413);
        site.asWrite().body(io.segmentpress.common.Json.write(overLimit)).post("/v1/track").then().statusCode(413);
        assertEquals(0L, count("SELECT COUNT(*) FROM event WHERE site_id = ? AND message_id = ?", site.id(), small.get("messageId")),
                "nothing of a refused request is stored");
    }

    @Test
    void requestSizeLimitIsFiveHundredKilobytes() {
        TestSite site = TestSites.create();
        String anonymousId = TestSites.unique("a");
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Map<String, Object> event = track("Bulk", anonymousId);
            event.put("properties", Map.of("blob", "y".repeat(26_000)));
            events.add(event);
        }
        String body = io.segmentpress.common.Json.write(Map.of("batch", events));
        assertTrue(body.length() > 512_000);
        site.asWrite().body(body).post("/v1/batch").then().statusCode(413).body("status", equalTo(413));
        assertEquals(0L, count("SELECT COUNT(*) FROM event WHERE site_id = ?", site.id()));
        String fits = io.segmentpress.common.Json.write(Map.of("batch", events.subList(0, 19)));
        assertTrue(fits.length() <= 512_000);
        site.asWrite().body(fits).post("/v1/batch").then().statusCode(200).body("accepted", equalTo(19));
    }

    @Test
    void bodiesOverTheServerLimitGetTheSameProblemDocument() {
        TestSite site = TestSites.create();
        String body = "{\"batch\":[],\"pad\":\"" + "z".repeat(5 * 1024 * 1024) + "\"}";
        site.asWrite().body(body).post("/v1/batch").then().statusCode(413)
                .contentType("application/problem+json")
                .body("status", equalTo(413))
                .body("type", equalTo("https://segmentpress.io/problems/payload-too-large"));
    }

    @Test
    void nestingDeeperThanTwentyIsAValidationError() {
        TestSite site = TestSites.create();
        Map<String, Object> ok = track("Nested", TestSites.unique("a"));
        ok.put("properties", nested(19)); // the event object itself is level 1
        Map<String, Object> deep = track("Nested", TestSites.unique("a"));
        deep.put("properties", nested(20));
        site.sendBatch(List.of(ok, deep)).then().statusCode(200)
                .body("accepted", equalTo(1))
                .body("rejected[0].index", equalTo(1))
                .body("rejected[0].errors[0].message", containsString("deeper than 20"));
    }

    private static Map<String, Object> nested(int levels) {
        Map<String, Object> inner = new HashMap<>();
        inner.put("leaf", 1);
        for (int i = 1; i < levels; i++) {
            inner = new HashMap<>(Map.of("n", inner));
        }
        return inner;
    }

    @Test
    void correctsClockSkewFromSentAt() {
        TestSite site = TestSites.create();
        Map<String, Object> event = track("Skewed", TestSites.unique("a"));
        // The client's clock runs two hours ahead; the event happened 5 minutes before it was sent.
        Instant clientNow = Instant.now().plus(Duration.ofHours(2));
        event.put("timestamp", clientNow.minus(Duration.ofMinutes(5)).toString());
        event.put("sentAt", clientNow.toString());
        Instant before = Instant.now();
        site.sendBatch(List.of(event)).then().statusCode(200).body("accepted", equalTo(1));
        Instant stored = ((java.time.LocalDateTime) row("SELECT occurred_at FROM event WHERE site_id = ? AND message_id = ?",
                site.id(), event.get("messageId")).get("occurred_at")).toInstant(java.time.ZoneOffset.UTC);
        Instant expected = before.minus(Duration.ofMinutes(5));
        assertTrue(Math.abs(Duration.between(expected, stored).toSeconds()) < 30, "stored " + stored + ", expected about " + expected);
    }

    @Test
    void defaultsTimestampToReceivedTime() {
        TestSite site = TestSites.create();
        Map<String, Object> event = track("Now", TestSites.unique("a"));
        site.sendBatch(List.of(event)).then().statusCode(200);
        Instant stored = ((java.time.LocalDateTime) row("SELECT occurred_at FROM event WHERE site_id = ? AND message_id = ?",
                site.id(), event.get("messageId")).get("occurred_at")).toInstant(java.time.ZoneOffset.UTC);
        assertTrue(Math.abs(Duration.between(Instant.now(), stored).toSeconds()) < 30);
    }

    @Test
    void acceptsBackfillUpTo400DaysAndRejectsOlderOrFuture() {
        TestSite site = TestSites.create();
        String anonymousId = TestSites.unique("a");
        Map<String, Object> old = track("Backfill", anonymousId);
        old.put("timestamp", Instant.now().minus(399, ChronoUnit.DAYS).toString());
        Map<String, Object> tooOld = track("Backfill", anonymousId);
        tooOld.put("timestamp", Instant.now().minus(401, ChronoUnit.DAYS).toString());
        Map<String, Object> nearFuture = track("Future", anonymousId);
        nearFuture.put("timestamp", Instant.now().plus(Duration.ofMinutes(5)).toString());
        Map<String, Object> farFuture = track("Future", anonymousId);
        farFuture.put("timestamp", Instant.now().plus(Duration.ofMinutes(15)).toString());
        Map<String, Object> garbage = track("Garbage", anonymousId);
        garbage.put("timestamp", "yesterday");
        site.sendBatch(List.of(old, tooOld, nearFuture, farFuture, garbage)).then().statusCode(200)
                .body("accepted", equalTo(2))
                .body("rejected.index", equalTo(List.of(1, 3, 4)))
                .body("rejected.errors.flatten().field", equalTo(List.of("timestamp", "timestamp", "timestamp")));
    }

    @Test
    void identifyLinksAnonymousVisitorToUserAndMergesHistory() {
        TestSite site = TestSites.create();
        String browserA = TestSites.unique("a");
        String browserB = TestSites.unique("b");
        String userId = TestSites.unique("u");
        site.sendBatch(tracks(3, browserA)).then().body("accepted", equalTo(3));
        site.sendBatch(tracks(2, browserB)).then().body("accepted", equalTo(2));
        site.asWrite().body(Map.of("userId", userId, "anonymousId", browserA, "traits", Map.of("plan", "pro"))).post("/v1/identify")
                .then().statusCode(200).body("accepted", equalTo(1));
        // The same user signs in from a second browser: both anonymous histories join the user.
        site.asWrite().body(Map.of("userId", userId, "anonymousId", browserB)).post("/v1/identify").then().statusCode(200);

        assertEquals(1L, count("SELECT COUNT(DISTINCT visitor_id) FROM event WHERE site_id = ?", site.id()));
        assertEquals(7L, count("SELECT COUNT(*) FROM event WHERE site_id = ?", site.id()));
        assertEquals(1L, count("SELECT COUNT(DISTINCT visitor_id) FROM visitor_identity WHERE site_id = ?", site.id()));
        assertEquals(1L, count("SELECT COUNT(*) FROM visitor WHERE site_id = ?", site.id()), "merged visitors are removed");
        long visitor = count("SELECT MAX(visitor_id) FROM event WHERE site_id = ?", site.id());
        engine.drainDirty();
        assertEquals(1L, count("SELECT COUNT(*) FROM visitor_profile WHERE site_id = ?", site.id()),
                "the segment engine keeps one profile: the merged visitors' are gone");
        assertEquals(visitor, count("SELECT visitor_id FROM visitor_profile WHERE site_id = ?", site.id()));
    }

    @Test
    void differentVisitorsStayApart() {
        TestSite site = TestSites.create();
        site.sendBatch(List.of(track("A", TestSites.unique("x")), track("B", TestSites.unique("y")))).then().body("accepted", equalTo(2));
        assertEquals(2L, count("SELECT COUNT(DISTINCT visitor_id) FROM event WHERE site_id = ?", site.id()));
    }

    @Test
    void acceptsTextPlainAndWriteKeyInBody() {
        TestSite site = TestSites.create();
        String body = io.segmentpress.common.Json.write(Map.of("writeKey", site.writeKey(), "batch", List.of(track("Beacon", TestSites.unique("a")))));
        given().contentType("text/plain").header("Origin", TestSites.ORIGIN).body(body).post("/v1/batch")
                .then().statusCode(200).body("accepted", equalTo(1))
                .header("Access-Control-Allow-Origin", equalTo(TestSites.ORIGIN));
        String single = io.segmentpress.common.Json.write(Map.of("writeKey", site.writeKey(), "event", "Beacon", "anonymousId", "a-7"));
        given().contentType("text/plain").body(single).post("/v1/track").then().statusCode(200).body("accepted", equalTo(1));
    }

    @Test
    void refusesBrowserCallsFromOriginsTheSiteDidNotAllow() {
        TestSite site = TestSites.create();
        site.asWrite().header("Origin", "https://evil.example.net").body(Map.of("batch", List.of(track("X", "a-1")))).post("/v1/batch")
                .then().statusCode(403).header("Access-Control-Allow-Origin", nullValue());
        assertEquals(0L, count("SELECT COUNT(*) FROM event WHERE site_id = ?", site.id()));
    }

    @Test
    void answersCorsPreflight() {
        given().header("Origin", TestSites.ORIGIN).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options("/v1/batch")
                .then().statusCode(204)
                .header("Access-Control-Allow-Origin", equalTo(TestSites.ORIGIN))
                .header("Access-Control-Allow-Headers", containsString("Authorization"));
    }

    @Test
    void refusesMissingUnknownAndWrongKeys() {
        String body = io.segmentpress.common.Json.write(Map.of("batch", List.of(track("X", "a-1"))));
        given().contentType(ContentType.JSON).body(body).post("/v1/batch").then().statusCode(401).contentType("application/problem+json");
        given().contentType(ContentType.JSON).header("Authorization", "Bearer wk_unknown0000000000000000000000000")
                .body(body).post("/v1/batch").then().statusCode(401);
        given().contentType(ContentType.JSON).body(io.segmentpress.common.Json.write(Map.of("writeKey", "wk_nope", "batch", List.of())))
                .post("/v1/batch").then().statusCode(401);
    }

    @Test
    void secretKeyMayAlsoSendEvents() {
        TestSite site = TestSites.create();
        site.asSecret().body(Map.of("batch", List.of(track("Order Completed", TestSites.unique("a"))))).post("/v1/batch")
                .then().statusCode(200).body("accepted", equalTo(1));
    }

    @Test
    void refusesMalformedBodies() {
        TestSite site = TestSites.create();
        site.asWrite().body("{\"batch\": [").post("/v1/batch").then().statusCode(400).contentType("application/problem+json");
        site.asWrite().body("[]").post("/v1/batch").then().statusCode(400);
        site.asWrite().body("{\"batch\": {}}").post("/v1/batch").then().statusCode(400).body("errors[0].field", equalTo("batch"));
        site.asWrite().body("{}").post("/v1/batch").then().statusCode(400).body("errors[0].field", equalTo("batch"));
        site.asWrite().contentType(ContentType.XML).body("<batch/>").post("/v1/batch").then().statusCode(415);
        site.asWrite().body(Map.of("anonymousId", "a-1")).post("/v1/track").then().statusCode(400).body("errors[0].field", equalTo("event"));
        site.asWrite().body(Map.of("event", "X", "anonymousId", "a-1", "properties", "text")).post("/v1/track")
                .then().statusCode(400).body("errors[0].field", equalTo("properties"));
    }

    @Test
    void storesHostileStringsVerbatimAndSafely() {
        TestSite site = TestSites.create();
        String hostile = "'); DROP TABLE event; -- <script>alert(1)</script> \u202Emoc.live \uD83D\uDE00 \u0000";
        Map<String, Object> event = track(hostile.replace("\u0000", ""), TestSites.unique("a"));
        event.put("properties", Map.of("query", hostile, "coupon", "<img src=x onerror=alert(1)>"));
        site.sendBatch(List.of(event)).then().statusCode(200).body("accepted", equalTo(1));
        Map<String, Object> stored = row("SELECT name, search_query, coupon FROM event WHERE site_id = ? AND message_id = ?", site.id(),
                event.get("messageId"));
        assertEquals(hostile.replace("\u0000", ""), stored.get("name"));
        assertEquals(hostile, stored.get("search_query"));
        assertTrue(count("SELECT COUNT(*) FROM event WHERE site_id = ?", site.id()) == 1);
    }

    @Test
    void pageAndIdentifyEndpointsSetTheType() {
        TestSite site = TestSites.create();
        String anonymousId = TestSites.unique("a");
        site.asWrite().body(Map.of("anonymousId", anonymousId, "name", "Home", "properties", Map.of("post_id", 7))).post("/v1/page")
                .then().statusCode(200).body("accepted", equalTo(1));
        site.asWrite().body(Map.of("type", "track", "anonymousId", anonymousId, "name", "Home")).post("/v1/page")
                .then().statusCode(400).body("errors[0].field", equalTo("type"));
        assertEquals(1L, count("SELECT COUNT(*) FROM event WHERE site_id = ? AND type = 'page' AND post_id = 7", site.id()));
    }

    @Test
    void differentUsersOnOneBrowserDoNotCollapseUnexpectedly() {
        TestSite site = TestSites.create();
        String browser = TestSites.unique("a");
        String first = TestSites.unique("u");
        site.asWrite().body(Map.of("userId", first, "anonymousId", browser)).post("/v1/identify").then().statusCode(200);
        site.sendBatch(tracks(2, browser)).then().body("accepted", equalTo(2));
        long visitorOfBrowser = count("SELECT visitor_id FROM visitor_identity WHERE site_id = ? AND kind = 'anon'", site.id());
        long visitorOfUser = count("SELECT visitor_id FROM visitor_identity WHERE site_id = ? AND kind = 'user'", site.id());
        assertEquals(visitorOfUser, visitorOfBrowser);
        String other = TestSites.unique("v");
        site.sendBatch(List.of(Map.of("type", "track", "event", "X", "userId", other))).then().body("accepted", equalTo(1));
        long visitorOfOther = count("SELECT visitor_id FROM visitor_identity WHERE site_id = ? AND external_id = ?", site.id(), other);
        assertNotEquals(visitorOfUser, visitorOfOther);
    }

    private long count(String sql, Object... params) {
        Object value = row(sql, params).values().iterator().next();
        return value == null ? 0 : ((Number) value).longValue();
    }

    private Map<String, Object> row(String sql, Object... params) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                Map<String, Object> row = new LinkedHashMap<>();
                if (rs.next()) {
                    for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                        row.put(rs.getMetaData().getColumnLabel(c), rs.getObject(c));
                    }
                } else {
                    row.put("none", null);
                }
                return row;
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

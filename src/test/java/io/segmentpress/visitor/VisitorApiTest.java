package io.segmentpress.visitor;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.segmentpress.TestSites;
import io.segmentpress.TestSites.TestSite;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.segment.SegmentEngine;

@QuarkusTest
class VisitorApiTest {

    @Inject
    SegmentEngine engine;

    @Inject
    DataSource dataSource;

    @Inject
    AppClock clock;

    /** A shopper with an anonymous id linked to a user id: pages, two orders, one identify. */
    record Shopper(TestSite site, String anonymousId, String userId) {
        long visitorId() {
            return site.asSecret().queryParam("anonymousId", anonymousId).get("/v1/visitors").then().statusCode(200)
                    .extract().jsonPath().getLong("visitorId");
        }
    }

    static Map<String, Object> event(String type, String name, String anonymousId, String userId, Instant at, Map<String, Object> properties) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        if (type.equals("track")) {
            event.put("event", name);
        } else if (type.equals("page")) {
            event.put("name", name);
        }
        event.put("messageId", TestSites.unique("m"));
        if (anonymousId != null) {
            event.put("anonymousId", anonymousId);
        }
        if (userId != null) {
            event.put("userId", userId);
        }
        event.put("timestamp", at.toString());
        event.put(type.equals("identify") ? "traits" : "properties", properties);
        return event;
    }

    static Shopper shopper(TestSite site) {
        String anonymousId = TestSites.unique("anon");
        String userId = TestSites.unique("user");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        site.sendBatch(List.of(
                event("page", "Home", anonymousId, null, now.minus(3, ChronoUnit.DAYS), Map.of("post_id", 7, "url", "https://shop.example.com/")),
                event("identify", null, anonymousId, userId, now.minus(3, ChronoUnit.DAYS).plusSeconds(60), Map.of("plan", "pro", "email", "a@example.com")),
                event("track", "Order Completed", null, userId, now.minus(2, ChronoUnit.DAYS), Map.of("order_id", "A-1", "total", 30, "coupon", "SAVE")),
                event("track", "Order Completed", null, userId, now.minus(1, ChronoUnit.DAYS), Map.of("order_id", "A-2", "total", 50))))
                .then().statusCode(200).body("accepted", equalTo(4));
        return new Shopper(site, anonymousId, userId);
    }

    /**
     * Active days count today and the 29 days before it in the site's time zone, whether the
     * figures come from the events (the engine has not profiled the visitor yet) or from the
     * profile: a visit 30 calendar days back does not count, though it is less than 30 × 24 hours ago.
     */
    @Test
    void activeDaysCountTheSameCalendarDaysBeforeAndAfterTheEngineProfilesTheVisitor() {
        String timezone = "America/New_York";
        TestSite site = TestSites.create(timezone);
        ZonedDateTime now = clock.now().atZone(ZoneId.of(timezone));
        if (now.toLocalTime().isAfter(LocalTime.of(22, 0))) {
            clock.advance(Duration.ofHours(3)); // the visit below must stay on the day 30 back, later in it than now
            now = clock.now().atZone(ZoneId.of(timezone));
        }
        try {
            String anonymousId = TestSites.unique("anon");
            Instant thirtyDaysBackLaterInTheDay = now.minusDays(30).plusHours(1).toInstant();
            Instant twoDaysBack = now.minusDays(2).toInstant();
            Instant today = now.minusMinutes(5).toInstant();
            site.sendBatch(List.of(
                    event("page", "Old", anonymousId, null, thirtyDaysBackLaterInTheDay, Map.of("post_id", 1)),
                    event("page", "Recent", anonymousId, null, twoDaysBack, Map.of("post_id", 2)),
                    event("page", "Today", anonymousId, null, today, Map.of("post_id", 3))))
                    .then().statusCode(200).body("accepted", equalTo(3));

            JsonPath fromEvents = site.asSecret().queryParam("anonymousId", anonymousId).get("/v1/visitors").then().statusCode(200)
                    .extract().jsonPath();
            assertNull(fromEvents.get("computedAt"), "not profiled yet: the figures come from the events");
            assertEquals(2, fromEvents.getInt("activeDays30"), "from the events");
            Drain.site(engine, dataSource, site.id());
            JsonPath fromProfile = site.asSecret().queryParam("anonymousId", anonymousId).get("/v1/visitors").then().statusCode(200)
                    .extract().jsonPath();
            assertNotNull(fromProfile.get("computedAt"), "profiled");
            assertEquals(2, fromProfile.getInt("activeDays30"), "from the profile");
        } finally {
            clock.reset();
        }
    }

    @Test
    void findsAVisitorByAnonymousIdOrUserIdWithItsProfileAndSegments() {
        TestSite site = TestSites.create();
        Shopper shopper = shopper(site);
        Drain.site(engine, dataSource, site.id());

        JsonPath byAnon = site.asSecret().queryParam("anonymousId", shopper.anonymousId()).get("/v1/visitors").then().statusCode(200)
                .body("userId", equalTo(shopper.userId()))
                .body("anonymousIds", equalTo(List.of(shopper.anonymousId())))
                .body("orders", equalTo(2))
                .body("revenue", equalTo(80.0f))
                .body("averageOrderValue", equalTo(40.0f))
                .body("pageViews", equalTo(1))
                .body("stage", equalTo("stage:retention"))
                .body("segments.key", hasItem("stage:retention"))
                .body("segments.find { it.key == 'stage:retention' }.evidence", notNullValue())
                .body("segments.find { it.key == 'stage:retention' }.family", equalTo("stage"))
                .body("computedAt", notNullValue())
                .extract().jsonPath();
        long visitorId = byAnon.getLong("visitorId");
        site.asSecret().queryParam("userId", shopper.userId()).get("/v1/visitors").then().statusCode(200).body("visitorId", equalTo((int) visitorId));
        site.asSecret().get("/v1/visitors/" + visitorId).then().statusCode(200).body("userId", equalTo(shopper.userId()));
    }

    @Test
    void aVisitorTheEngineHasNotSeenYetIsAnsweredFromItsEvents() throws SQLException {
        TestSite site = TestSites.create();
        Shopper shopper = shopper(site);
        Drain.site(engine, dataSource, site.id());
        // as if the engine had not got to the visitor yet
        long visitorId = shopper.visitorId();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM visitor_profile WHERE visitor_id = ?");
                PreparedStatement deleteMemberships = connection.prepareStatement("DELETE FROM segment_membership WHERE visitor_id = ?")) {
            delete.setLong(1, visitorId);
            delete.executeUpdate();
            deleteMemberships.setLong(1, visitorId);
            deleteMemberships.executeUpdate();
        }
        site.asSecret().queryParam("userId", shopper.userId()).get("/v1/visitors").then().statusCode(200)
                .body("computedAt", nullValue())
                .body("orders", equalTo(2))
                .body("sessions", equalTo(3))
                .body("stage", equalTo("stage:awareness"));
    }

    @Test
    void lookupRefusesNeitherOrBothIdsAndAnswers404ForUnknownOnes() {
        TestSite site = TestSites.create();
        site.asSecret().get("/v1/visitors").then().statusCode(400).contentType("application/problem+json");
        site.asSecret().queryParam("userId", "u").queryParam("anonymousId", "a").get("/v1/visitors").then().statusCode(400);
        site.asSecret().queryParam("userId", "nobody").get("/v1/visitors").then().statusCode(404);
        site.asSecret().get("/v1/visitors/999999999").then().statusCode(404);
        site.asSecret().get("/v1/visitors/not-a-number").then().statusCode(404);
    }

    @Test
    void segmentsOfAnAnonymousIdWithTheWriteKey() {
        TestSite site = TestSites.create();
        Shopper shopper = shopper(site);
        Drain.site(engine, dataSource, site.id());
        site.asWrite().get("/v1/visitors/" + shopper.anonymousId() + "/segments").then().statusCode(200)
                .body("stage", equalTo("stage:retention"))
                .body("segments", hasItem("stage:retention"));
        site.asWrite().get("/v1/visitors/never-seen-before/segments").then().statusCode(200)
                .body("segments", equalTo(List.of("stage:awareness")))
                .body("stage", equalTo("stage:awareness"));
    }

    @Test
    void exportHoldsEverythingStoredAboutTheVisitor() {
        TestSite site = TestSites.create();
        Shopper shopper = shopper(site);
        Drain.site(engine, dataSource, site.id());
        long visitorId = shopper.visitorId();
        JsonPath export = site.asSecret().get("/v1/visitors/" + visitorId + "/export").then().statusCode(200)
                .header("Content-Disposition", containsString("visitor-" + visitorId + ".json"))
                .extract().jsonPath();
        assertEquals(visitorId, export.getLong("visitorId"));
        assertEquals(4, export.getList("events").size());
        assertEquals(List.of("page", "identify", "track", "track"), export.getList("events.type"));
        assertEquals("SAVE", export.getString("events[2].properties.coupon"));
        assertEquals("pro", export.getString("events[1].traits.plan"));
        assertEquals(List.of("anonymousId", "userId"), export.getList("identities.kind").stream().sorted().toList());
        assertEquals(shopper.userId(), export.getString("profile.userId"));
        assertEquals(true, export.getList("memberships.key").contains("stage:retention"));
        assertEquals(true, export.getList("transitions.segment").contains("stage:retention"));
        assertEquals("entered", export.getString("transitions.find { it.segment == 'stage:retention' }.change"));
    }

    @Test
    void eraseDeletesEveryRowOfTheVisitorAndNewEventsStartANewVisitor() throws SQLException {
        TestSite site = TestSites.create();
        Shopper shopper = shopper(site);
        Shopper bystander = shopper(site);
        Drain.site(engine, dataSource, site.id());
        long visitorId = shopper.visitorId();
        long bystanderId = bystander.visitorId();
        Map<String, Long> before = rowsOf(visitorId);
        Map<String, Long> bystanderBefore = rowsOf(bystanderId);
        assertEquals(4L, before.get("event"));
        assertEquals(2L, before.get("visitor_identity"));
        assertEquals(1L, before.get("visitor_profile"));
        assertEquals(1L, before.get("visitor"));
        assertNotEquals(0L, before.get("segment_membership"));
        assertNotEquals(0L, before.get("segment_transition"));

        site.asSecret().delete("/v1/visitors/" + visitorId).then().statusCode(200).body("eventsDeleted", equalTo(4));

        rowsOf(visitorId).forEach((table, count) -> assertEquals(0L, count, table + " still holds rows of the erased visitor"));
        assertEquals(bystanderBefore, rowsOf(bystanderId), "another visitor is untouched");
        site.asSecret().get("/v1/visitors/" + visitorId).then().statusCode(404);
        site.asSecret().delete("/v1/visitors/" + visitorId).then().statusCode(404);
        site.asSecret().get("/v1/visitors/" + visitorId + "/export").then().statusCode(404);
        site.asWrite().get("/v1/visitors/" + shopper.anonymousId() + "/segments").then().body("segments", equalTo(List.of("stage:awareness")));

        // the same ids come back: a new visitor, nothing of the old one
        Instant now = Instant.now();
        site.sendBatch(List.of(event("page", "Home", shopper.anonymousId(), null, now, Map.of()),
                event("track", "Signed In", null, shopper.userId(), now, Map.of()))).then().statusCode(200).body("accepted", equalTo(2));
        Drain.site(engine, dataSource, site.id());
        JsonPath byAnon = site.asSecret().queryParam("anonymousId", shopper.anonymousId()).get("/v1/visitors").then().statusCode(200)
                .body("orders", equalTo(0)).body("pageViews", equalTo(1)).body("userId", nullValue()).extract().jsonPath();
        assertNotEquals(visitorId, byAnon.getLong("visitorId"));
        long userVisitor = site.asSecret().queryParam("userId", shopper.userId()).get("/v1/visitors").then().statusCode(200)
                .body("orders", equalTo(0)).body("anonymousIds", equalTo(List.of())).extract().jsonPath().getLong("visitorId");
        assertNotEquals(visitorId, userVisitor);
        assertEquals(0L, rowsOf(visitorId).values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void tenantIsolationForEveryVisitorEndpoint() {
        TestSite own = TestSites.create();
        TestSite other = TestSites.create();
        Shopper shopper = shopper(own);
        Drain.site(engine, dataSource, own.id());
        long visitorId = shopper.visitorId();
        String profile = "/v1/visitors/" + visitorId;
        String export = profile + "/export";
        String segments = "/v1/visitors/" + shopper.anonymousId() + "/segments";

        // own secret key: allowed
        own.asSecret().queryParam("anonymousId", shopper.anonymousId()).get("/v1/visitors").then().statusCode(200);
        own.asSecret().get(profile).then().statusCode(200);
        own.asSecret().get(export).then().statusCode(200);
        own.asSecret().get(segments).then().statusCode(200).body("segments", hasItems("stage:retention"));
        // another site's secret key: exactly like a visitor that does not exist
        other.asSecret().queryParam("anonymousId", shopper.anonymousId()).get("/v1/visitors").then().statusCode(404);
        other.asSecret().queryParam("userId", shopper.userId()).get("/v1/visitors").then().statusCode(404);
        other.asSecret().get(profile).then().statusCode(404).body("detail", equalTo("No such visitor"));
        other.asSecret().get(export).then().statusCode(404);
        other.asSecret().delete(profile).then().statusCode(404);
        other.asSecret().get(segments).then().statusCode(200).body("segments", equalTo(List.of("stage:awareness")));
        other.asWrite().get(segments).then().statusCode(200).body("segments", equalTo(List.of("stage:awareness")));
        // the write key: only the segment keys
        own.asWrite().queryParam("anonymousId", shopper.anonymousId()).get("/v1/visitors").then().statusCode(403);
        own.asWrite().get(profile).then().statusCode(403);
        own.asWrite().get(export).then().statusCode(403);
        own.asWrite().delete(profile).then().statusCode(403);
        own.asWrite().get(segments).then().statusCode(200).body("stage", equalTo("stage:retention"));
        // no key
        given().queryParam("anonymousId", shopper.anonymousId()).get("/v1/visitors").then().statusCode(401);
        given().get(profile).then().statusCode(401);
        given().get(export).then().statusCode(401);
        given().delete(profile).then().statusCode(401);
        given().get(segments).then().statusCode(401);
        // nothing was erased by the refused calls
        own.asSecret().get(profile).then().statusCode(200);
    }

    /** Rows of one visitor in every table that holds visitor data. */
    private Map<String, Long> rowsOf(long visitorId) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            for (String table : List.of("event", "visitor_identity", "visitor_profile", "segment_membership", "segment_transition",
                    "visitor_dirty")) {
                counts.put(table, count(connection, "SELECT COUNT(*) FROM " + table + " WHERE visitor_id = ?", visitorId));
            }
            counts.put("visitor", count(connection, "SELECT COUNT(*) FROM visitor WHERE id = ?", visitorId));
        }
        return counts;
    }

    private static long count(Connection connection, String sql, long visitorId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setLong(1, visitorId);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}

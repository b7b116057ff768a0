package io.segmentpress.recommend;

import static io.segmentpress.recommend.RecommendFixtures.contentIds;
import static io.segmentpress.recommend.RecommendFixtures.item;
import static io.segmentpress.recommend.RecommendFixtures.pageView;
import static io.segmentpress.recommend.RecommendFixtures.put;
import static io.segmentpress.recommend.RecommendFixtures.recommendations;
import static io.segmentpress.recommend.RecommendFixtures.send;
import static io.segmentpress.recommend.RecommendFixtures.track;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.segmentpress.TestSites;
import io.segmentpress.TestSites.TestSite;
import io.segmentpress.common.ClusterLock;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.segment.SegmentEngine;
import io.segmentpress.visitor.Drain;

/**
 * A recommendation request reads a drained visitor from the profile row alone (segment keys and
 * read history kept there by the segment engine) and everyone else from the membership and event
 * tables. Both sources must describe the visitor identically, and the profile row must never be
 * used while it lags the events.
 */
@QuarkusTest
class VisitorContextSourcesTest {

    private static final String[] CATEGORIES = { "recipes", "garden", "travel", "tech", "money" };

    @Inject
    SegmentEngine engine;

    @Inject
    DataSource dataSource;

    @Inject
    VisitorReader visitors;

    @Inject
    AppClock clock;

    @Inject
    MeterRegistry registry;

    @Inject
    ClusterLock clusterLock;

    @Test
    void theProfileRowDescribesEveryDrainedVisitorAsTheEventsDo() {
        TestSite site = TestSites.create();
        Instant now = Instant.ofEpochMilli(clock.now().toEpochMilli());
        for (int id = 1; id <= 40; id++) {
            Map<String, Object> item = item("Item " + id, id % 4 == 0 ? "product" : "post", CATEGORIES[id % CATEGORIES.length],
                    now.minus(Duration.ofDays(id)));
            put(site, id, item);
        }
        Random random = new Random(20261129);
        List<String> anonymousIds = new ArrayList<>();
        List<Map<String, Object>> events = new ArrayList<>();
        for (int v = 0; v < 30; v++) {
            String anonymousId = TestSites.unique("reader");
            anonymousIds.add(anonymousId);
            int count = v == 0 ? 0 : 1 + random.nextInt(v < 5 ? 120 : 25); // a few read a lot
            if (v == 0) {
                events.add(identify(anonymousId, TestSites.unique("user"), now.minus(Duration.ofMinutes(9)))); // no reads at all
            }
            for (int e = 0; e < count; e++) {
                long postId = 1 + random.nextInt(v % 3 == 0 ? 40 : 8); // re-reading the same items at other times
                // 400 + 1 uncatalogued ids too: reads of items the catalog does not have still count
                if (random.nextInt(20) == 0) {
                    postId = 401;
                }
                Instant at = now.minus(Duration.ofMinutes(1 + random.nextInt(60 * 24 * 90)));
                switch (random.nextInt(5)) {
                    case 0 -> events.add(track(anonymousId, "Content Engaged",
                            Map.of("post_id", postId, "engaged_seconds", 30 + random.nextInt(300), "scroll_depth", random.nextInt(101)), at));
                    case 1 -> events.add(track(anonymousId, "Product Viewed", Map.of("post_id", postId), at));
                    case 2 -> events.add(track(anonymousId, "Products Searched", Map.of("query", "knife"), at));
                    default -> events.add(pageView(anonymousId, postId, at));
                }
            }
        }
        // two browsers of one signed-in reader become one visitor
        String userId = TestSites.unique("user");
        for (String anonymousId : anonymousIds.subList(1, 3)) {
            events.add(identify(anonymousId, userId, now.minus(Duration.ofMinutes(5))));
        }
        send(site, events);
        Drain.site(engine, dataSource, site.id());

        double fromProfileBefore = count("profile");
        double fromEventsBefore = count("events");
        for (String anonymousId : anonymousIds) {
            VisitorContext fromEvents = visitors.load(site.id(), anonymousId, true);
            VisitorContext fromProfile = visitors.load(site.id(), anonymousId);
            assertEquals(fromEvents, fromProfile, anonymousId);
            assertTrue(fromProfile.known(), anonymousId);
        }
        assertEquals(fromProfileBefore + anonymousIds.size(), count("profile"), "every drained visitor was read from its profile row");
        assertEquals(fromEventsBefore + anonymousIds.size(), count("events"), "the comparison really read the events");
        assertEquals(visitors.load(site.id(), anonymousIds.get(1)).visitorId(), visitors.load(site.id(), anonymousIds.get(2)).visitorId(),
                "merged browsers");
        assertTrue(visitors.load(site.id(), anonymousIds.get(5)).reads().size() > 3, "a reader with history");

        // new events, not folded in yet: segments from the row, reads from the events; still the same context
        try (ClusterLock.Held drainLock = clusterLock.tryAcquire(SegmentEngine.DRAIN_LOCK, Duration.ofSeconds(30)).orElseThrow()) {
            List<Map<String, Object>> more = new ArrayList<>();
            for (String anonymousId : anonymousIds) {
                more.add(pageView(anonymousId, 1 + random.nextInt(40), now));
                more.add(pageView(anonymousId, 402, now.minus(Duration.ofDays(200)))); // a late, backdated one
            }
            send(site, more);
            double profileBefore = count("profile");
            double eventsBefore = count("events");
            for (String anonymousId : anonymousIds) {
                VisitorContext pending = visitors.load(site.id(), anonymousId);
                assertEquals(visitors.load(site.id(), anonymousId, true), pending, anonymousId);
                assertTrue(pending.reads().containsKey(402L), anonymousId);
            }
            assertEquals(profileBefore, count("profile"), "no visitor with pending events was read from the row alone");
            assertEquals(eventsBefore + 2 * anonymousIds.size(), count("events"));
        }
    }

    @Test
    void aVisitorWhoseEventsAreNotFoldedYetIsReadFromTheEvents() throws SQLException {
        TestSite site = TestSites.create();
        Instant now = Instant.ofEpochMilli(clock.now().toEpochMilli());
        for (int id = 1; id <= 12; id++) {
            put(site, id, item("Recipe " + id, "post", "recipes", now.minus(Duration.ofDays(id))));
        }
        String reader = TestSites.unique("reader");
        // the scheduled drain stays out while this test looks at in-between states; recomputes fold the events instead
        try (ClusterLock.Held drainLock = clusterLock.tryAcquire(SegmentEngine.DRAIN_LOCK, Duration.ofSeconds(30)).orElseThrow()) {
            send(site, List.of(pageView(reader, 1, now.minus(Duration.ofHours(3)))));
            engine.recomputeSite(site.id());
            double fromProfile = count("profile");
            assertEquals(Map.of(1L, now.minus(Duration.ofHours(3)).toEpochMilli()), visitors.load(site.id(), reader).reads());
            assertEquals(fromProfile + 1, count("profile"));

            // a new read: marked, so the profile row (which lacks it) is not trusted
            send(site, List.of(pageView(reader, 2, now.minus(Duration.ofMinutes(1)))));
            double fromEvents = count("events");
            assertTrue(visitors.load(site.id(), reader).reads().containsKey(2L));
            assertEquals(fromEvents + 1, count("events"));
            assertFalse(contentIds(recommendations(site, "visitor=" + reader + "&limit=20")).contains(2L));

            // a drain has claimed the mark but not committed the new profile yet: still not trusted
            execute("UPDATE visitor_dirty SET claimed = 1 WHERE site_id = ?", site.id());
            assertTrue(visitors.load(site.id(), reader).reads().containsKey(2L));
            assertEquals(fromEvents + 3, count("events"));

            // events stored meanwhile add an unclaimed mark beside the claim; folding releases both
            send(site, List.of(pageView(reader, 3, now)));
            assertEquals(2, marks(site.id()));
            engine.recomputeSite(site.id());
            assertEquals(1, marks(site.id()), "the claim is released; the newer mark, which could not be claimed beside it, waits for a drain");
        }
        Drain.site(engine, dataSource, site.id());
        assertEquals(0, marks(site.id()));
        double fromProfile = count("profile");
        VisitorContext drained = visitors.load(site.id(), reader);
        assertEquals(fromProfile + 1, count("profile"));
        assertEquals(List.of(1L, 2L, 3L), drained.reads().keySet().stream().sorted().toList());
        List<Long> listed = contentIds(recommendations(site, "visitor=" + reader + "&limit=20"));
        for (long read : new long[] { 1, 2, 3 }) {
            assertFalse(listed.contains(read), read + " in " + listed);
        }
    }

    @Test
    void aFullRecomputeReleasesTheMarksItClaimedAndFillsTheProfileRow() throws SQLException {
        TestSite site = TestSites.create();
        Instant now = Instant.ofEpochMilli(clock.now().toEpochMilli());
        put(site, 1, item("Recipe", "post", "recipes", now.minus(Duration.ofDays(2))));
        String reader = TestSites.unique("reader");
        try (ClusterLock.Held drainLock = clusterLock.tryAcquire(SegmentEngine.DRAIN_LOCK, Duration.ofSeconds(30)).orElseThrow()) {
            send(site, List.of(pageView(reader, 1, now.minus(Duration.ofHours(1)))));
            assertEquals(1, marks(site.id()));
            engine.recomputeSite(site.id());
            assertEquals(0, marks(site.id()));
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT segment_keys, read_history FROM visitor_profile WHERE site_id = ?")) {
            select.setLong(1, site.id());
            try (ResultSet rows = select.executeQuery()) {
                assertTrue(rows.next());
                assertTrue(rows.getString(1).contains("stage:"), rows.getString(1));
                assertEquals("1:" + now.minus(Duration.ofHours(1)).toEpochMilli(), rows.getString(2));
                assertFalse(rows.next());
            }
        }
    }

    private static Map<String, Object> identify(String anonymousId, String userId, Instant at) {
        Map<String, Object> identify = new LinkedHashMap<>();
        identify.put("type", "identify");
        identify.put("anonymousId", anonymousId);
        identify.put("userId", userId);
        identify.put("messageId", TestSites.unique("m"));
        identify.put("timestamp", at.toString());
        return identify;
    }

    private double count(String source) {
        Counter counter = registry.find("segmentpress.recommend.visitor.reads").tag("source", source).counter();
        return counter == null ? 0 : counter.count(); // registered with the reader's first use
    }

    private long marks(long siteId) {
        return Drain.marks(dataSource, siteId);
    }

    private void execute(String sql, long siteId) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, siteId);
            statement.executeUpdate();
        }
    }
}

package io.segmentpress.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.segment.SegmentFixtures.History;
import io.segmentpress.segment.SegmentFixtures.Site;
import io.segmentpress.visitor.Drain;

/**
 * A drain that goes on from the folds it kept reads only new events; whatever arrives, what it
 * writes must be what a full recompute from every event writes.
 */
@QuarkusTest
class KeptFoldsTest {

    private static final String PROFILES = "SELECT * FROM visitor_profile WHERE site_id = ? ORDER BY visitor_id";
    private static final String MEMBERSHIPS = "SELECT visitor_id, segment_key, since, evidence FROM segment_membership WHERE site_id = ? "
            + "ORDER BY visitor_id, segment_key";

    @Inject
    SegmentEngine engine;

    @Inject
    AppClock clock;

    @Inject
    DataSource dataSource;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void drainsThatGoOnFromKeptFoldsWriteWhatAFullRecomputeWrites() {
        // the middle of a UTC day, so that every drain of the test falls on the same day as the folds it keeps
        Instant now = clock.now();
        Instant noon = now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(12));
        clock.advance(Duration.between(now, noon.isBefore(now) ? noon.plus(Duration.ofDays(1)) : noon));
        Site site = SegmentFixtures.createSite();
        for (long post = 1; post <= 6; post++) {
            site.content(post, post == 6 ? "product" : "post", post % 2 == 0 ? "recipes" : "travel", post == 5 ? "consideration" : null);
        }
        SegmentDb db = new SegmentDb(dataSource);
        Random random = new Random(20261130);
        List<History> visitors = new ArrayList<>();
        List<Double> newest = new ArrayList<>();
        for (int v = 0; v < 6; v++) {
            History visitor = new History(clock.now());
            double at = 40 + random.nextInt(20);
            visitor.page(at, 1 + random.nextInt(6));
            visitors.add(visitor);
            newest.add(at);
        }

        long[] before = engine.drainedByRead();
        int lateEvents = 0;
        for (int round = 0; round < 8; round++) {
            // one request: every visitor of the round is marked in one transaction and drained in one round, against the
            // same customer distribution as the full recompute sees (VIP and RFM depend on it)
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int v = 0; v < visitors.size(); v++) {
                History visitor = visitors.get(v);
                visitor.events.clear();
                double folded = newest.get(v);
                double at = folded;
                for (int e = random.nextInt(4); e >= 0; e--) {
                    at -= 0.01 + random.nextDouble() * 0.6; // at least a quarter of an hour later (times are whole minutes)
                    addEvent(visitor, random, at, v, round);
                }
                newest.set(v, at);
                if (round % 3 == 2 && v == round % visitors.size()) {
                    addEvent(visitor, random, folded + 1 + random.nextDouble(), v, round); // late: older than the fold's newest event
                    lateEvents++;
                } else if (round == 5 && v == 1) {
                    visitor.page(folded, 2); // the same instant as the fold's newest event
                    lateEvents++;
                }
                batch.addAll(visitor.events);
            }
            site.send(batch);
            Drain.site(engine, dataSource, site.id());
            assertAgreesWithFullRecompute(db, site, "round " + round);
        }
        long[] after = engine.drainedByRead();
        long fromFolds = after[0] - before[0];
        assertTrue(fromFolds >= 7 * visitors.size() - lateEvents,
                "drains after the first go on from kept folds, except for visitors with late events: " + fromFolds);

        // a new day: what the folds counted per day no longer holds, so every visitor is read in full again
        clock.advance(Duration.ofDays(1));
        List<Map<String, Object>> batch = new ArrayList<>();
        for (History visitor : visitors) {
            visitor.events.clear();
            visitor.page(0.01, 3);
            batch.addAll(visitor.events);
        }
        site.send(batch);
        long[] beforeNewDay = engine.drainedByRead();
        Drain.site(engine, dataSource, site.id());
        assertEquals(beforeNewDay[0], engine.drainedByRead()[0], "no kept fold is taken up on another day");
        assertAgreesWithFullRecompute(db, site, "a new day");
    }

    private static void addEvent(History visitor, Random random, double daysAgo, int v, int round) {
        long post = 1 + random.nextInt(6);
        switch (random.nextInt(7)) {
            case 0, 1 -> visitor.page(daysAgo, post);
            case 2 -> visitor.read(daysAgo, post, random.nextInt(400), random.nextInt(101));
            case 3 -> visitor.track(daysAgo, "Products Searched", Map.of("query", "q" + random.nextInt(3)));
            case 4 -> visitor.track(daysAgo, "Product Added", Map.of("product_id", "6"));
            case 5 -> visitor.order(daysAgo, "order-" + v + "-" + round, 20 + random.nextInt(200), random.nextBoolean() ? "SAVE10" : null, 0);
            default -> visitor.track(daysAgo, "Order Refunded", Map.of("order_id", "order-" + v + "-" + (round - 1)));
        }
    }

    /** The drained rows, then a full recompute from every event, which must find nothing to change. */
    private void assertAgreesWithFullRecompute(SegmentDb db, Site site, String when) {
        List<Map<String, String>> profiles = withoutComputedAt(db.rows(PROFILES, site.id()));
        List<Map<String, String>> memberships = db.rows(MEMBERSHIPS, site.id());
        long transitions = db.count("SELECT COUNT(*) FROM segment_transition WHERE site_id = ?", site.id());
        engine.recomputeSite(site.id());
        assertEquals(profiles, withoutComputedAt(db.rows(PROFILES, site.id())), when + ": profiles");
        assertEquals(memberships, db.rows(MEMBERSHIPS, site.id()), when + ": memberships");
        assertEquals(transitions, db.count("SELECT COUNT(*) FROM segment_transition WHERE site_id = ?", site.id()),
                when + ": a full recompute finds no entry or exit the drain missed");
    }

    private static List<Map<String, String>> withoutComputedAt(List<Map<String, String>> rows) {
        rows.forEach(row -> row.remove("computed_at"));
        return rows;
    }
}

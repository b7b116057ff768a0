package io.segmentpress.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        List<Map<String, Object>> history = new ArrayList<>();
        for (int v = 0; v < 6; v++) {
            History visitor = new History(clock.now());
            for (int e = 0; e < 3; e++) {
                addEvent(visitor, random, 40 + random.nextInt(20) - e * 0.5, v, -1);
            }
            visitors.add(visitor);
            history.addAll(visitor.events);
        }
        site.send(history);
        Drain.site(engine, dataSource, site.id());

        long[] before = engine.drainedByRead();
        int lateEvents = 0;
        for (int round = 0; round < 8; round++) {
            // live traffic: ten minutes on, each visitor does a few things in the last five minutes
            clock.advance(Duration.ofMinutes(10));
            // one request: every visitor of the round is marked in one transaction and drained in one round, against the
            // same customer distribution as the full recompute sees (VIP and RFM depend on it)
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int v = 0; v < visitors.size(); v++) {
                History visitor = visitors.get(v).at(clock.now());
                visitors.set(v, visitor);
                for (int e = 0, events = 1 + random.nextInt(4); e < events; e++) {
                    addEvent(visitor, random, minutes(5 - e), v, round);
                }
                if (round % 3 == 2 && v == round % visitors.size()) {
                    addEvent(visitor, random, minutes(13), v, round); // late: before the last drain's settling point
                    lateEvents++;
                } else if (round == 5 && v == 1) {
                    visitor.page(minutes(15), 2); // the same instant as the first event of the last round, settled since
                    lateEvents++;
                }
                batch.addAll(visitor.events);
            }
            site.send(batch);
            Drain.site(engine, dataSource, site.id());
            assertAgreesWithFullRecompute(db, site, "round " + round);
        }
        long fromFolds = engine.drainedByRead()[0] - before[0];
        assertEquals(8 * visitors.size() - lateEvents, fromFolds,
                "every drain goes on from the visitors' kept folds, except for visitors with late events");

        // events of the last minute are read again by the next drain, so one arriving out of order among them (here: at the
        // same instant as the previous one) does not send the visitor back to a full read
        clock.advance(Duration.ofMinutes(10));
        Instant recently = clock.now();
        for (int round = 0; round < 2; round++) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int v = 0; v < visitors.size(); v++) {
                History visitor = visitors.get(v).at(recently);
                visitors.set(v, visitor);
                visitor.events.clear();
                addEvent(visitor, random, 0, v, 10 + round);
                batch.addAll(visitor.events);
            }
            site.send(batch);
            long[] beforeRecent = engine.drainedByRead();
            Drain.site(engine, dataSource, site.id());
            assertEquals(beforeRecent[0] + visitors.size(), engine.drainedByRead()[0], "recent events, round " + round);
            assertAgreesWithFullRecompute(db, site, "recent events, round " + round);
        }

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

    private static double minutes(int minutes) {
        return minutes / (24.0 * 60);
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

package io.segmentpress.privacy;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.segmentpress.TestSites;
import io.segmentpress.TestSites.TestSite;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.segment.SegmentDb;

@QuarkusTest
class RetentionTest {

    @Inject
    RetentionService retention;

    @Inject
    AppClock clock;

    @Inject
    DataSource dataSource;

    @Inject
    Scheduler scheduler;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** Other tests store events from long ago on purpose; the purge runs in tests only when a test calls it. */
    @Test
    void theScheduledPurgeIsOffInTests() {
        assertNull(scheduler.getScheduledJob("event-retention"));
    }

    @Test
    void deletesEventsOlderThanTheRetentionPeriodOnly() throws Exception {
        TestSite site = TestSites.create();
        Instant now = Instant.now();
        site.sendBatch(List.of(
                Map.of("type", "track", "event", "Old", "anonymousId", "ret-1", "messageId", TestSites.unique("m"),
                        "timestamp", now.minus(390, ChronoUnit.DAYS).toString()),
                Map.of("type", "track", "event", "Recent", "anonymousId", "ret-1", "messageId", TestSites.unique("m"),
                        "timestamp", now.minus(10, ChronoUnit.DAYS).toString())))
                .then().statusCode(200).body("accepted", equalTo(2));

        retention.purgeExpiredEvents(site.id());
        assertEquals(2, events(site.id()), "nothing is due yet");

        clock.advance(Duration.ofDays(15)); // the old event is now 405 days old
        assertEquals(1, retention.purgeExpiredEvents(site.id()));
        assertEquals(1, events(site.id()));
        assertEquals(1, count("SELECT COUNT(*) FROM event WHERE site_id = ? AND name = 'Recent'", site.id()));
    }

    @Test
    void deletesServedRecommendationCountsAndListsOlderThanTheRetentionPeriod() throws Exception {
        TestSite site = TestSites.create();
        TestSite other = TestSites.create();
        Instant now = clock.now();
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO recommendation_served (rec_id, site_id, audience_id, variant, item_count, served_at) VALUES (?, ?, NULL, 'ranked', 5, ?)");
                PreparedStatement counted = connection.prepareStatement(
                        "INSERT INTO recommendation_served_count (site_id, period_start, audience_id, variant, lists) VALUES (?, ?, 0, 'ranked', 3)")) {
            for (int daysAgo : new int[] { 400, 390, 10 }) {
                for (long siteId : new long[] { site.id(), other.id() }) {
                    insert.setString(1, "rec_" + UUID.randomUUID().toString().replace("-", ""));
                    insert.setLong(2, siteId);
                    insert.setTimestamp(3, Timestamp.from(now.minus(daysAgo, ChronoUnit.DAYS)));
                    insert.executeUpdate();
                    counted.setLong(1, siteId);
                    counted.setTimestamp(2, Timestamp.from(now.minus(daysAgo, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS)));
                    counted.executeUpdate();
                }
            }
        }
        SegmentDb db = new SegmentDb(dataSource);
        retention.purgeExpiredEvents(site.id());
        assertEquals(2, db.count("SELECT COUNT(*) FROM recommendation_served WHERE site_id = ?", site.id()), "the 400-day-old list goes");
        assertEquals(2, db.count("SELECT COUNT(*) FROM recommendation_served_count WHERE site_id = ?", site.id()), "and its period's count");
        assertEquals(3, db.count("SELECT COUNT(*) FROM recommendation_served_count WHERE site_id = ?", other.id()), "another site's stay");
        clock.advance(Duration.ofDays(15));
        retention.purgeExpiredEvents(site.id());
        assertEquals(1, db.count("SELECT COUNT(*) FROM recommendation_served WHERE site_id = ?", site.id()), "then the 390-day-old one");
        assertEquals(1, db.count("SELECT COUNT(*) FROM recommendation_served_count WHERE site_id = ?", site.id()));
    }

    private long events(long siteId) throws Exception {
        return count("SELECT COUNT(*) FROM event WHERE site_id = ?", siteId);
    }

    private long count(String sql, long siteId) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, siteId);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}

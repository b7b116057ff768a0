package io.segmentpress.privacy;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.segmentpress.TestSites;
import io.segmentpress.TestSites.TestSite;
import io.segmentpress.common.time.AppClock;

@QuarkusTest
class RetentionTest {

    @Inject
    RetentionService retention;

    @Inject
    AppClock clock;

    @Inject
    DataSource dataSource;

    @AfterEach
    void resetClock() {
        clock.reset();
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

        retention.purgeExpiredEvents();
        assertEquals(2, events(site.id()), "nothing is due yet");

        clock.advance(Duration.ofDays(15)); // the old event is now 405 days old
        assertTrue(retention.purgeExpiredEvents() >= 1);
        assertEquals(1, events(site.id()));
        assertEquals(1, count("SELECT COUNT(*) FROM event WHERE site_id = ? AND name = 'Recent'", site.id()));
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

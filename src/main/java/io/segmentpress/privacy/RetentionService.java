package io.segmentpress.privacy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.segmentpress.common.ClusterLock;
import io.segmentpress.common.DbTime;
import io.segmentpress.common.time.AppClock;

/**
 * Deletes raw events past the retention period, and the served recommendation lists their views
 * and clicks were attributed to, site by site in small chunks (each chunk is its own short
 * transaction, served by the (site_id, time) index of its table).
 */
@ApplicationScoped
public class RetentionService {

    private static final Logger LOG = Logger.getLogger(RetentionService.class);

    @Inject
    DataSource dataSource;

    @Inject
    AppClock clock;

    @Inject
    RetentionConfig config;

    @Inject
    ClusterLock lock;

    @Scheduled(cron = "{segmentpress.retention.cron}", identity = "event-retention",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledPurge() {
        Optional<ClusterLock.Held> held = lock.tryAcquire("segmentpress-retention", java.time.Duration.ZERO);
        if (held.isEmpty()) {
            return;
        }
        try (ClusterLock.Held ignored = held.get()) {
            long deleted = purgeExpiredEvents();
            if (deleted > 0) {
                LOG.infof("Retention: deleted %d events older than %s", deleted, config.events());
            }
        }
    }

    /** Deletes every site's events older than the retention period; returns how many were deleted. */
    public long purgeExpiredEvents() {
        List<Long> sites;
        try (Connection connection = dataSource.getConnection()) {
            sites = siteIds(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("event retention purge failed", e);
        }
        long deleted = 0;
        for (long siteId : sites) {
            deleted += purgeExpiredEvents(siteId);
        }
        return deleted;
    }

    /**
     * Deletes one site's events older than the retention period, and its counts of served
     * recommendation lists of the same age; returns how many events were deleted.
     */
    public long purgeExpiredEvents(long siteId) {
        String cutoff = DbTime.format(clock.now().minus(config.events()));
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            long deleted = deleteInChunks(connection, "DELETE FROM event WHERE site_id = ? AND occurred_at < ? LIMIT ", siteId, cutoff);
            deleteInChunks(connection, "DELETE FROM recommendation_served WHERE site_id = ? AND served_at < ? LIMIT ", siteId, cutoff);
            deleteInChunks(connection, "DELETE FROM recommendation_served_count WHERE site_id = ? AND period_start < ? LIMIT ", siteId,
                    cutoff);
            return deleted;
        } catch (SQLException e) {
            throw new IllegalStateException("event retention purge failed for site " + siteId, e);
        }
    }

    private long deleteInChunks(Connection connection, String sqlBeforeLimit, long siteId, String cutoff) throws SQLException {
        long deleted = 0;
        try (PreparedStatement statement = connection.prepareStatement(sqlBeforeLimit + config.chunkSize())) {
            statement.setLong(1, siteId);
            statement.setString(2, cutoff);
            int chunk;
            do {
                chunk = statement.executeUpdate();
                deleted += chunk;
            } while (chunk == config.chunkSize());
        }
        return deleted;
    }

    private static List<Long> siteIds(Connection connection) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT id FROM site ORDER BY id");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }
}

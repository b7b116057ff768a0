package io.segmentpress.segment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.segmentpress.common.DbTime;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.content.ContentChanged;

/**
 * Whether the scheduled time-window pass has to evaluate a site in full again
 * ({@code segment_full_pass}). A drain evaluates every visitor with new events; what changes the
 * other visitors' segments is time, which moves built-in segments only when the site's calendar
 * day changes (their windows are whole days), the site's settings or time zone, its catalog
 * (categories and journey stages feed interests and stages), its custom segments (their windows
 * may be shorter than a day), and the other customers' orders (RFM quintiles and the VIP
 * percentile). So a pass is due when the day changed since the last one, the site has custom
 * segments, the site row or the catalog changed since, or the last pass is older than the maximum
 * age. A site never passed counts as passed when it was created: every visitor it has since has
 * been drained.
 */
@ApplicationScoped
class FullPasses {

    private static final Logger LOG = Logger.getLogger(FullPasses.class);
    /** Changes this close before a pass started count as after it (clocks of replicas differ a little; commits lag). */
    static final long MARGIN_MILLIS = 5_000;

    /** The last pass (or the site's creation) and the last change of its inputs (epoch ms; {@code Long.MIN_VALUE} for none). */
    record Last(long siteDay, long passedAtMillis, long inputsChangedAtMillis) {
    }

    @Inject
    DataSource dataSource;

    @Inject
    AppClock clock;

    private final Set<Long> pendingSites = ConcurrentHashMap.newKeySet();
    private final ExecutorService noter = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "segment-catalog-changes");
        thread.setDaemon(true);
        return thread;
    });

    /** Whether a site last passed as {@code last} needs a pass at {@code time}. */
    static boolean due(Last last, SiteTime time, long maxAgeMillis, boolean hasCustomSegments) {
        return hasCustomSegments || last.siteDay() != time.today() || time.now().toEpochMilli() - last.passedAtMillis() >= maxAgeMillis
                || last.inputsChangedAtMillis() >= last.passedAtMillis() - MARGIN_MILLIS;
    }

    /** The site's last pass as stored, or its creation when it never had one. */
    static Last read(Connection connection, long siteId, SiteTime time) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT s.created_at, s.updated_at, p.site_day, p.passed_at, "
                + "p.inputs_changed_at FROM site s LEFT JOIN segment_full_pass p ON p.site_id = s.id WHERE s.id = ?")) {
            statement.setLong(1, siteId);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return new Last(Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE);
                }
                long created = millis(rows, 1);
                long siteUpdated = millis(rows, 2);
                if (rows.getBytes(4) == null) {
                    // never passed: the creation stands for the pass, and only a later change of the site row counts
                    return new Last(time.day(created), created, siteUpdated > created ? siteUpdated : Long.MIN_VALUE);
                }
                return new Last(rows.getLong(3), millis(rows, 4), Math.max(siteUpdated, millis(rows, 5)));
            }
        }
    }

    /** Records a pass that started at {@code startedAt}, on the site's day {@code siteDay}. */
    static void record(Connection connection, long siteId, long siteDay, Instant startedAt) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO segment_full_pass (site_id, site_day, passed_at) "
                + "VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE site_day = VALUES(site_day), passed_at = VALUES(passed_at)")) {
            statement.setLong(1, siteId);
            statement.setLong(2, siteDay);
            statement.setString(3, DbTime.format(startedAt));
            statement.executeUpdate();
        }
    }

    /**
     * A catalog change makes the site's next scheduled pass due. The change is noted after its
     * commit (a pass running now may have read the old item), off the request's thread, and the
     * changes of a burst (a content batch fires one event per item) become one write: the time
     * written is taken after every change it covers was committed.
     */
    void onContentChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) ContentChanged change) {
        if (pendingSites.add(change.siteId())) {
            try {
                noter.execute(this::notePending);
            } catch (RejectedExecutionException e) {
                // shutting down: the next daily or maximum-age pass applies the change
            }
        }
    }

    /**
     * Writes the catalog changes not noted yet. The schedule calls it before it decides, so this
     * replica's changes count; synchronized, so that it also waits for a write the background
     * thread has begun.
     */
    synchronized void notePending() {
        for (Long siteId : List.copyOf(pendingSites)) {
            pendingSites.remove(siteId);
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement statement = connection.prepareStatement("INSERT INTO segment_full_pass (site_id, site_day, passed_at, "
                            + "inputs_changed_at) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE inputs_changed_at = VALUES(inputs_changed_at)")) {
                if (!connection.getAutoCommit()) {
                    connection.setAutoCommit(true);
                }
                statement.setLong(1, siteId);
                statement.setLong(2, Long.MIN_VALUE); // no pass yet: due on any day
                statement.setString(3, DbTime.format(Instant.EPOCH));
                statement.setString(4, DbTime.format(clock.now()));
                statement.executeUpdate();
            } catch (SQLException e) {
                LOG.warnf(e, "the catalog change of site %d could not be noted; the next daily or maximum-age pass applies it", siteId);
            }
        }
    }

    @PreDestroy
    void stop() {
        noter.shutdown();
    }

    private static long millis(ResultSet rows, int column) throws SQLException {
        Long millis = DbTime.epochMillisOfDatetime(rows.getBytes(column));
        return millis == null ? Long.MIN_VALUE : millis;
    }
}

package io.segmentpress.recommend;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.segmentpress.common.Hashes;
import io.segmentpress.common.MultiRowInsert;

/**
 * Counts served lists per site, 15-minute period, audience and variant, for the experiment
 * report. Serving adds one to a counter in memory; {@link #flush()} adds the counters to
 * {@code recommendation_served_count} every second and at shutdown, in one transaction, so
 * recording costs a request no database round trip and the table grows with periods and
 * audiences, not with page views. An audience is a site's distinct set of segment keys, stored
 * once in {@code recommendation_audience} with its segment rows; the rec id of each list carries
 * the audience's hash and the variant (see {@link RecIds}), which is how Viewed and Clicked
 * events are attributed. Nothing here identifies the visitor.
 * The price of counting in memory: a replica that crashes loses up to a second of counts (the
 * lists' events are still attributed, their ids carry everything) — acceptable for CTR statistics.
 */
@ApplicationScoped
public class ServedLog {

    private static final Logger LOG = Logger.getLogger(ServedLog.class);
    static final long PERIOD_MILLIS = 15 * 60 * 1000L;
    private static final int MAX_CACHED_AUDIENCES = 100_000;

    /** One counter: lists of a site served in the period starting at {@code periodStart} to one audience in one variant. */
    record Tally(long siteId, long periodStart, long audience, String variant) {
    }

    /** A site's audience by its 64-bit hash. */
    private record SiteAudience(long siteId, long audience) {
    }

    private final ConcurrentHashMap<Tally, Long> counts = new ConcurrentHashMap<>();
    /** Segment keys of audiences counted but not yet known to be stored. */
    private final Map<SiteAudience, List<String>> pendingAudiences = new ConcurrentHashMap<>();
    /** Audience id of every audience known to be stored. */
    private final Map<SiteAudience, Long> audienceIds = new ConcurrentHashMap<>();

    @Inject
    DataSource dataSource;

    /**
     * The 64-bit audience of a list served to a visitor in these segments (sorted): the first 8
     * bytes of the SHA-256 of the keys joined by newlines, as {@code recommendation_audience.keys_hash}
     * stores it; 0 for no segments.
     */
    static long audienceOf(List<String> segments) {
        if (segments.isEmpty()) {
            return 0;
        }
        return prefix(Hashes.sha256(String.join("\n", segments)));
    }

    /** The first 8 bytes of a hash as a long, as {@link #audienceOf} reads them. */
    static long prefix(byte[] hash) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (hash[i] & 0xff);
        }
        return value;
    }

    /** Counts one list; {@code audience} is {@link #audienceOf(List) audienceOf(segments)}. */
    void record(long siteId, String variant, long audience, List<String> segments, Instant servedAt) {
        if (audience != 0) {
            // before the count: a flush that takes the count finds the audience's keys
            SiteAudience key = new SiteAudience(siteId, audience);
            if (!audienceIds.containsKey(key)) {
                pendingAudiences.putIfAbsent(key, List.copyOf(segments));
            }
        }
        long millis = servedAt.toEpochMilli();
        counts.merge(new Tally(siteId, millis - Math.floorMod(millis, PERIOD_MILLIS), audience, variant), 1L, Long::sum);
    }

    /** Adds every counter to the table; on failure the counts go back for the next attempt. */
    public synchronized void flush() {
        Map<Tally, Long> taken = new HashMap<>();
        for (Tally tally : counts.keySet()) {
            Long lists = counts.remove(tally); // a list counted after this starts a new counter, taken next time
            if (lists != null) {
                // the iteration can meet a counter again that was started after its removal: add, never replace
                taken.merge(tally, lists, Long::sum);
            }
        }
        if (taken.isEmpty()) {
            return;
        }
        try {
            write(taken);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("could not record %d counts of served recommendation lists, will retry: %s", taken.size(), e.getMessage());
            taken.forEach((tally, lists) -> counts.merge(tally, lists, Long::sum));
        }
    }

    void onShutdown(@Observes ShutdownEvent event) {
        flush();
    }

    private void write(Map<Tally, Long> taken) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            List<Object[]> rows = new ArrayList<>(taken.size());
            for (Map.Entry<Tally, Long> entry : taken.entrySet()) {
                Tally tally = entry.getKey();
                long audienceId = tally.audience() == 0 ? 0 : audienceId(connection, tally.siteId(), tally.audience());
                rows.add(new Object[] { tally.siteId(), Timestamp.from(Instant.ofEpochMilli(tally.periodStart())), audienceId,
                        tally.variant(), entry.getValue() });
            }
            // all counters or none: a retry after a failure must not add a part twice
            connection.setAutoCommit(false);
            try {
                MultiRowInsert.execute(connection,
                        "INSERT INTO recommendation_served_count (site_id, period_start, audience_id, variant, lists)", 5,
                        "ON DUPLICATE KEY UPDATE lists = lists + VALUES(lists)", rows);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /**
     * The id of a site's audience, created with its segment rows in one transaction when it is
     * new. Concurrent creators (other replicas) meet at the unique key: the second waits for the
     * first to commit, inserts nothing and reads the first one's id.
     */
    private long audienceId(Connection connection, long siteId, long audience) throws SQLException {
        SiteAudience key = new SiteAudience(siteId, audience);
        Long cached = audienceIds.get(key);
        if (cached != null) {
            return cached;
        }
        List<String> segments = pendingAudiences.get(key);
        if (segments == null) {
            // counted while it was cached, and the cache was emptied since: it is stored
            long stored = storedAudience(connection, siteId, audience);
            audienceIds.put(key, stored);
            return stored;
        }
        String keys = String.join("\n", segments);
        byte[] hash = Hashes.sha256(keys);
        long id;
        connection.setAutoCommit(false);
        try {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT IGNORE INTO recommendation_audience (site_id, keys_hash, segment_keys) VALUES (?,?,?)")) {
                insert.setLong(1, siteId);
                insert.setBytes(2, hash);
                insert.setString(3, keys);
                boolean created = insert.executeUpdate() == 1;
                id = existingAudience(connection, siteId, hash);
                if (created) {
                    try (PreparedStatement segmentRows = connection.prepareStatement(
                            "INSERT INTO recommendation_audience_segment (audience_id, segment_key) VALUES (?,?)")) {
                        for (String segment : segments) {
                            segmentRows.setLong(1, id);
                            segmentRows.setString(2, segment);
                            segmentRows.addBatch();
                        }
                        segmentRows.executeBatch();
                    }
                }
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
        if (audienceIds.size() >= MAX_CACHED_AUDIENCES) {
            audienceIds.clear();
        }
        audienceIds.put(key, id);
        pendingAudiences.remove(key);
        return id;
    }

    private static long existingAudience(Connection connection, long siteId, byte[] hash) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT audience_id FROM recommendation_audience WHERE site_id = ? AND keys_hash = ?")) {
            select.setLong(1, siteId);
            select.setBytes(2, hash);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("audience of site " + siteId + " vanished while it was being recorded");
                }
                return rs.getLong(1);
            }
        }
    }

    private static long storedAudience(Connection connection, long siteId, long audience) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT audience_id, keys_hash FROM recommendation_audience WHERE site_id = ?")) {
            select.setLong(1, siteId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    if (prefix(rs.getBytes(2)) == audience) {
                        return rs.getLong(1);
                    }
                }
            }
        }
        throw new SQLException("audience " + Long.toUnsignedString(audience, 16) + " of site " + siteId + " is not stored");
    }
}

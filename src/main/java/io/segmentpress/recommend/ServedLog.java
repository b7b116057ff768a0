package io.segmentpress.recommend;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.segmentpress.common.MultiRowInsert;

/**
 * Records every served list (rec id, variant, the segments it was chosen for) for experiment
 * attribution. Serving only queues the record; {@link #flush()} writes the queue every second and
 * at shutdown as multi-row INSERTs, up to {@value #BATCH} lists at a time, so recording adds no database
 * round trip to a request. A list is one row: its segments are an audience (a site's distinct set
 * of segment keys, stored once in {@code recommendation_audience} and its segment rows) and the
 * row carries the audience's id. Rec ids begin with the serving time, so the rows are appended at
 * the end of the primary key. Nothing here identifies the visitor.
 * The price of queueing: a replica that crashes loses up to a second of records, and views of
 * those lists then count as unattributed rather than in a variant — acceptable for CTR statistics.
 */
@ApplicationScoped
public class ServedLog {

    private static final Logger LOG = Logger.getLogger(ServedLog.class);
    private static final int MAX_QUEUED = 200_000;
    private static final int BATCH = 1_000;
    private static final int MAX_CACHED_AUDIENCES = 100_000;

    /** One served list; {@code segments} sorted. */
    record Served(String recId, long siteId, String variant, int itemCount, Instant servedAt, List<String> segments) {
    }

    private final ConcurrentLinkedQueue<Served> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    /** Site id and segment keys → audience id, for audiences known to be committed. */
    private final Map<String, Long> audiences = new ConcurrentHashMap<>();

    @Inject
    DataSource dataSource;

    void record(Served served) {
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queue.poll(); // the database has been unreachable for a long time: keep the newest records
            queued.decrementAndGet();
        }
        queue.add(served);
    }

    /** Writes every queued record; on failure the records go back to the queue for the next attempt. */
    public synchronized void flush() {
        while (!queue.isEmpty()) {
            List<Served> batch = new ArrayList<>(BATCH);
            Served next;
            while (batch.size() < BATCH && (next = queue.poll()) != null) {
                queued.decrementAndGet();
                batch.add(next);
            }
            try {
                write(batch);
            } catch (SQLException e) {
                LOG.warnf("could not record %d served recommendation lists, will retry: %s", batch.size(), e.getMessage());
                batch.forEach(this::record);
                return;
            }
        }
    }

    void onShutdown(@Observes ShutdownEvent event) {
        flush();
    }

    private void write(List<Served> batch) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            List<Object[]> rows = new ArrayList<>(batch.size());
            for (Served record : batch) {
                Long audienceId = record.segments().isEmpty() ? null : audienceId(connection, record.siteId(), record.segments());
                rows.add(new Object[] { record.recId(), record.siteId(), audienceId, record.variant(), record.itemCount(),
                        Timestamp.from(record.servedAt()) });
            }
            MultiRowInsert.execute(connection,
                    "INSERT IGNORE INTO recommendation_served (rec_id, site_id, audience_id, variant, item_count, served_at)", 6, null, rows);
        }
    }

    /**
     * The id of a site's audience with these segment keys, created with its segment rows in one
     * transaction when it is new. Concurrent creators (other replicas) meet at the unique key: the
     * second waits for the first to commit, inserts nothing and reads the first one's id.
     */
    private long audienceId(Connection connection, long siteId, List<String> segments) throws SQLException {
        String keys = String.join("\n", segments);
        String key = siteId + "\n" + keys;
        Long cached = audiences.get(key);
        if (cached != null) {
            return cached;
        }
        byte[] hash = sha256(keys);
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
        if (audiences.size() >= MAX_CACHED_AUDIENCES) {
            audiences.clear();
        }
        audiences.put(key, id);
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

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}

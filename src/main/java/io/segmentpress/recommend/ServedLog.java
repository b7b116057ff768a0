package io.segmentpress.recommend;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;

/**
 * Records every served list (rec id, variant, the visitor's segments) for experiment
 * attribution. Serving only queues the record; {@link #flush()} writes the queue as multi-row
 * INSERTs (up to {@value #BATCH} lists per transaction) every second and at shutdown, so
 * recording adds no database round trip to a request.
 * The price: a replica that crashes loses up to a second of records, and views of those lists
 * then count as unattributed rather than in a variant — acceptable for CTR statistics.
 */
@ApplicationScoped
public class ServedLog {

    private static final Logger LOG = Logger.getLogger(ServedLog.class);
    private static final int MAX_QUEUED = 200_000;
    private static final int BATCH = 1_000;
    private static final int SEGMENT_ROWS = 2_000;

    /** One served list. */
    record Served(String recId, long siteId, Long visitorId, String variant, int itemCount, Instant servedAt, List<String> segments) {
    }

    private final ConcurrentLinkedQueue<Served> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();

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

    /** One transaction: one multi-row statement for the lists, then segment rows in multi-row statements of up to {@value #SEGMENT_ROWS}. */
    private void write(List<Served> batch) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement served = connection.prepareStatement(multiRow(
                    "INSERT IGNORE INTO recommendation_served (rec_id, site_id, visitor_id, variant, item_count, served_at) VALUES ",
                    "(?,?,?,?,?,?)", batch.size()))) {
                int p = 1;
                for (Served record : batch) {
                    served.setString(p++, record.recId());
                    served.setLong(p++, record.siteId());
                    if (record.visitorId() == null) {
                        served.setNull(p++, java.sql.Types.BIGINT);
                    } else {
                        served.setLong(p++, record.visitorId());
                    }
                    served.setString(p++, record.variant());
                    served.setInt(p++, record.itemCount());
                    served.setTimestamp(p++, Timestamp.from(record.servedAt()));
                }
                served.executeUpdate();
                List<String[]> segmentRows = new ArrayList<>();
                for (Served record : batch) {
                    for (String segment : record.segments()) {
                        segmentRows.add(new String[] { record.recId(), segment });
                    }
                }
                for (int from = 0; from < segmentRows.size(); from += SEGMENT_ROWS) {
                    List<String[]> chunk = segmentRows.subList(from, Math.min(segmentRows.size(), from + SEGMENT_ROWS));
                    try (PreparedStatement segments = connection.prepareStatement(multiRow(
                            "INSERT IGNORE INTO recommendation_served_segment (rec_id, segment_key) VALUES ", "(?,?)", chunk.size()))) {
                        p = 1;
                        for (String[] row : chunk) {
                            segments.setString(p++, row[0]);
                            segments.setString(p++, row[1]);
                        }
                        segments.executeUpdate();
                    }
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static String multiRow(String prefix, String row, int rows) {
        StringBuilder sql = new StringBuilder(prefix.length() + rows * (row.length() + 1)).append(prefix);
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ",").append(row);
        }
        return sql.toString();
    }
}

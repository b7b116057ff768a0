package io.segmentpress.ingest;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

import java.util.Collection;
import java.util.List;

import com.mysql.cj.jdbc.JdbcConnection;

import io.segmentpress.common.DbTime;

/**
 * Writes events with multi-row statements. The unique key (site_id, message_id) makes a repeated
 * messageId a no-op, also when two retries race: INSERT IGNORE skips it and the affected-row
 * count says how many were new.
 *
 * <p>One store belongs to one connection (an ingest writer keeps its own). Full chunks of
 * {@value #CHUNK_ROWS} events go through a statement prepared on the server once for the
 * connection, whose values travel in the binary protocol: the server parses no SQL per chunk and
 * the driver escapes no text. The rest of a group, a request of single events for instance, goes
 * in one client-prepared statement of its exact size. Both kinds run in the caller's transaction.
 */
final class EventStore implements AutoCloseable {

    static final int CHUNK_ROWS = 100;
    private static final String INSERT_PREFIX = "INSERT IGNORE INTO event (site_id, visitor_id, message_id, type, name, anonymous_id, user_id, "
            + "occurred_at, received_at, post_id, product_id, order_id, revenue, discount, coupon, engaged_seconds, scroll_depth, "
            + "search_query, url, referrer, properties, context, traits) VALUES ";
    private static final String ROW = "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    private static final int COLUMNS = 23;

    private final Connection connection;
    private PreparedStatement chunk;

    EventStore(Connection connection) {
        this.connection = connection;
    }

    /** Inserts the events of one site's requests; returns how many were new (the rest were duplicates). */
    int insert(long siteId, List<IngestWriter.Submission> requests, VisitorResolver.Resolution visitors) throws SQLException {
        int rows = 0;
        for (IngestWriter.Submission request : requests) {
            rows += request.events().size();
        }
        int inChunks = rows - rows % CHUNK_ROWS;
        int stored = 0;
        PreparedStatement statement = null;
        int row = 0;
        for (IngestWriter.Submission request : requests) {
            String received = DbTime.format(request.receivedAt());
            for (IncomingEvent event : request.events()) {
                boolean inChunk = row < inChunks;
                int inStatement = inChunk ? row % CHUNK_ROWS : row - inChunks;
                if (inStatement == 0) {
                    statement = inChunk ? chunk() : connection.prepareStatement(insertSql(rows - inChunks));
                }
                bind(statement, inStatement * COLUMNS, siteId, visitors.visitorOf(event), event, received);
                row++;
                boolean complete = inChunk ? row % CHUNK_ROWS == 0 : row == rows;
                if (complete) {
                    stored += statement.executeUpdate();
                    if (statement != chunk) {
                        statement.close();
                    }
                }
            }
        }
        return stored;
    }

    /** Closes the server-side statement; the connection stays open. */
    @Override
    public void close() {
        if (chunk != null) {
            try {
                chunk.close();
            } catch (SQLException e) {
                // the connection is gone, and the statement with it
            }
            chunk = null;
        }
    }

    private PreparedStatement chunk() throws SQLException {
        if (chunk == null) {
            chunk = connection.unwrap(JdbcConnection.class).serverPrepareStatement(insertSql(CHUNK_ROWS));
        }
        return chunk;
    }

    private static String insertSql(int rows) {
        StringBuilder sql = new StringBuilder(INSERT_PREFIX.length() + rows * (ROW.length() + 1));
        sql.append(INSERT_PREFIX);
        for (int i = 0; i < rows; i++) {
            if (i > 0) {
                sql.append(',');
            }
            sql.append(ROW);
        }
        return sql.toString();
    }

    private static void bind(PreparedStatement statement, int p, long siteId, long visitorId, IncomingEvent event, String received)
            throws SQLException {
        statement.setLong(++p, siteId);
        statement.setLong(++p, visitorId);
        statement.setString(++p, event.messageId());
        statement.setString(++p, event.type());
        statement.setString(++p, event.name());
        statement.setString(++p, event.anonymousId());
        statement.setString(++p, event.userId());
        statement.setString(++p, DbTime.format(event.occurredAt()));
        statement.setString(++p, received);
        setLong(statement, ++p, event.postId());
        statement.setString(++p, event.productId());
        statement.setString(++p, event.orderId());
        setDecimal(statement, ++p, event.revenue());
        setDecimal(statement, ++p, event.discount());
        statement.setString(++p, event.coupon());
        setInt(statement, ++p, event.engagedSeconds());
        setInt(statement, ++p, event.scrollDepth());
        statement.setString(++p, event.searchQuery());
        statement.setString(++p, event.url());
        statement.setString(++p, event.referrer());
        statement.setString(++p, event.properties());
        statement.setString(++p, event.context());
        statement.setString(++p, event.traits());
    }

    /**
     * Marks visitors for the segment engine. A visitor already marked keeps its mark (and its
     * place in the queue): the engine deletes a mark before it reads the visitor's events, so an
     * event stored while the mark exists is always read, and one stored after the delete marks the
     * visitor anew. Leaving existing marks alone keeps concurrent requests for the same visitor
     * from waiting on each other's row lock.
     */
    static void markDirty(Connection connection, long siteId, Collection<Long> visitorIds, Instant now) throws SQLException {
        if (visitorIds.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("INSERT IGNORE INTO visitor_dirty (site_id, visitor_id, marked_at) VALUES ");
        for (int i = 0; i < visitorIds.size(); i++) {
            sql.append(i == 0 ? "(?,?,?)" : ",(?,?,?)");
        }
        // the time as text, formatted once: the driver formats every bound Timestamp with a new SimpleDateFormat
        String marked = DbTime.format(now);
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int p = 0;
            for (long visitorId : visitorIds) {
                statement.setLong(++p, siteId);
                statement.setLong(++p, visitorId);
                statement.setString(++p, marked);
            }
            statement.executeUpdate();
        }
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    private static void setInt(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    private static void setDecimal(PreparedStatement statement, int index, BigDecimal value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.DECIMAL);
        } else {
            statement.setBigDecimal(index, value);
        }
    }
}

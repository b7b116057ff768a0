package io.segmentpress.ingest;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;

import io.segmentpress.common.DbTime;
import java.util.Collection;
import java.util.List;

/**
 * Writes events with one multi-row statement per batch. The unique key (site_id, message_id)
 * makes a repeated messageId a no-op, also when two retries race: INSERT IGNORE skips it and
 * the affected-row count says how many were new.
 */
final class EventStore {

    private static final String INSERT_PREFIX = "INSERT IGNORE INTO event (site_id, visitor_id, message_id, type, name, anonymous_id, user_id, "
            + "occurred_at, received_at, post_id, product_id, order_id, revenue, discount, coupon, engaged_seconds, scroll_depth, "
            + "search_query, url, referrer, properties, context, traits) VALUES ";
    private static final String ROW = "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    private static final int COLUMNS = 23;

    private EventStore() {
    }

    /** Inserts the events of one site's requests; returns how many were new (the rest were duplicates). */
    static int insert(Connection connection, long siteId, List<IngestWriter.Submission> requests, VisitorResolver.Resolution visitors)
            throws SQLException {
        int rows = 0;
        for (IngestWriter.Submission request : requests) {
            rows += request.events().size();
        }
        StringBuilder sql = new StringBuilder(INSERT_PREFIX.length() + rows * (ROW.length() + 1));
        sql.append(INSERT_PREFIX);
        for (int i = 0; i < rows; i++) {
            if (i > 0) {
                sql.append(',');
            }
            sql.append(ROW);
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int p = 0;
            for (IngestWriter.Submission request : requests) {
                String received = DbTime.format(request.receivedAt());
                for (IncomingEvent event : request.events()) {
                    statement.setLong(++p, siteId);
                    statement.setLong(++p, visitors.visitorOf(event));
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
            }
            assert p == COLUMNS * rows;
            return statement.executeUpdate();
        }
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
        Timestamp marked = Timestamp.from(now);
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int p = 0;
            for (long visitorId : visitorIds) {
                statement.setLong(++p, siteId);
                statement.setLong(++p, visitorId);
                statement.setTimestamp(++p, marked);
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

package io.segmentpress.segment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import io.segmentpress.common.MultiRowInsert;

/**
 * The life of a {@code visitor_dirty} mark after ingest sets it (unclaimed, {@code claimed = 0}).
 * A drain or recompute claims a visitor's mark before reading the visitor's events and releases
 * (deletes) the claim only after the new profile is committed, so at every moment a visitor
 * without any mark has a profile row that holds all of its events (recommendations rely on that to
 * read the profile alone). Events stored while a claim is held insert a new unclaimed mark beside
 * it (the primary key is {@code (visitor_id, claimed)}), and that mark is drained next round.
 * Statements here run in autocommit.
 */
final class DirtyMarks {

    private static final int IDS_PER_STATEMENT = 1000;

    private DirtyMarks() {
    }

    /** Claims the unclaimed marks of these visitors (a visitor that already has a claim keeps its new mark unclaimed). */
    static void claim(Connection connection, long siteId, List<Long> visitorIds) throws SQLException {
        forSlices(connection, "UPDATE IGNORE visitor_dirty SET claimed = 1 WHERE site_id = ? AND claimed = 0 AND visitor_id IN ", siteId,
                visitorIds, null);
    }

    /** Claims every unclaimed mark of the site (a full recompute). */
    static void claimSite(Connection connection, long siteId) throws SQLException {
        forSite(connection, "UPDATE IGNORE visitor_dirty SET claimed = 1 WHERE site_id = ? AND claimed = 0", siteId);
    }

    /** Deletes the claims on these visitors ({@code null}: every claim of the site) once their profiles are committed. */
    static void release(Connection connection, long siteId, List<Long> visitorIds) throws SQLException {
        if (visitorIds == null) {
            forSite(connection, "DELETE FROM visitor_dirty WHERE site_id = ? AND claimed = 1", siteId);
            return;
        }
        forSlices(connection, "DELETE FROM visitor_dirty WHERE site_id = ? AND claimed = 1 AND visitor_id IN ", siteId, visitorIds, null);
    }

    /**
     * Gives the claims back after a failed drain: they become unclaimed marks again, queued behind
     * what is already waiting. A claim whose visitor has a new unclaimed mark already is dropped.
     */
    static void unclaim(Connection connection, long siteId, List<Long> visitorIds, Instant now) throws SQLException {
        forSlices(connection, "UPDATE IGNORE visitor_dirty SET claimed = 0, marked_at = ? WHERE site_id = ? AND claimed = 1 AND visitor_id IN ",
                siteId, visitorIds, now);
        release(connection, siteId, visitorIds);
    }

    private static void forSite(Connection connection, String sql, long siteId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, siteId);
            statement.executeUpdate();
        }
    }

    private static void forSlices(Connection connection, String sqlPrefix, long siteId, List<Long> visitorIds, Instant markedAt)
            throws SQLException {
        for (int start = 0; start < visitorIds.size(); start += IDS_PER_STATEMENT) {
            List<Long> slice = visitorIds.subList(start, Math.min(visitorIds.size(), start + IDS_PER_STATEMENT));
            try (PreparedStatement statement = connection.prepareStatement(sqlPrefix + MultiRowInsert.placeholders(slice.size()))) {
                int index = 1;
                if (markedAt != null) {
                    statement.setTimestamp(index++, SegmentStore.timestamp(markedAt.toEpochMilli()));
                }
                statement.setLong(index++, siteId);
                for (Long visitorId : slice) {
                    statement.setLong(index++, visitorId);
                }
                statement.executeUpdate();
            }
        }
    }
}

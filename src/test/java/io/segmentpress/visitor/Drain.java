package io.segmentpress.visitor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.segmentpress.segment.SegmentEngine;

/**
 * Lets the segment engine catch up with a site's new events. The scheduled drain may hold the
 * engine's lock when a test calls it directly, so this drains until the site has no dirty
 * visitor left.
 */
public final class Drain {

    private Drain() {
    }

    public static void site(SegmentEngine engine, DataSource dataSource, long siteId) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            engine.drainDirty();
            if (marks(dataSource, siteId) == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the segment engine did not drain site " + siteId + " within 2 minutes");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The site's rows in {@code visitor_dirty}: waiting marks and claims. */
    public static long marks(DataSource dataSource, long siteId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM visitor_dirty WHERE site_id = ?")) {
            select.setLong(1, siteId);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

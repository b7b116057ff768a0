package io.segmentpress.segment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A counter per site in {@code segment_profile_version} that every transaction writing or
 * deleting the site's {@code visitor_profile} rows raises first thing, so a reader can tell
 * whether what it keeps in memory of those rows is still current (see {@link CustomerCache}).
 */
public final class ProfileVersion {

    private ProfileVersion() {
    }

    /**
     * Raises the site's version inside the caller's transaction and returns the new value. Call it
     * before touching {@code visitor_profile}: the row lock it takes orders concurrent writers.
     */
    public static long bump(Connection connection, long siteId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO segment_profile_version (site_id, version) "
                + "VALUES (?, 1) ON DUPLICATE KEY UPDATE version = version + 1")) {
            statement.setLong(1, siteId);
            statement.executeUpdate();
        }
        return read(connection, siteId, " FOR UPDATE");
    }

    /** The site's current version (0 before its profiles were first written). */
    static long current(Connection connection, long siteId) throws SQLException {
        return read(connection, siteId, "");
    }

    private static long read(Connection connection, long siteId, String locking) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT version FROM segment_profile_version WHERE site_id = ?" + locking)) {
            statement.setLong(1, siteId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }

    /**
     * Follows the version through a series of the engine's transactions: each must find it one
     * below what its own bump returns, else someone else wrote in between and what the engine
     * knows of the stored rows is no longer complete.
     */
    static final class Trail {
        private long version;
        private boolean unbroken = true;

        Trail(long version) {
            this.version = version;
        }

        void bump(Connection connection, long siteId) throws SQLException {
            long raised = ProfileVersion.bump(connection, siteId);
            unbroken &= raised == version + 1;
            version = raised;
        }

        long version() {
            return version;
        }

        boolean unbroken() {
            return unbroken;
        }
    }
}

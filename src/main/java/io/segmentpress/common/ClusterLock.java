package io.segmentpress.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

/**
 * A lock shared by every replica of the service, so that a scheduled job (or one site's
 * recompute) runs in one process at a time. It is a MySQL named lock ({@code GET_LOCK}) held on
 * a dedicated connection: if the process dies, the database drops the connection and with it
 * the lock, so nothing stays locked forever.
 */
@ApplicationScoped
public class ClusterLock {

    private static final Logger LOG = Logger.getLogger(ClusterLock.class);
    private static final int MAX_NAME_LENGTH = 64;
    /**
     * Named locks are server-wide; prefixing the schema keeps two deployments (or test suites)
     * that share one MySQL server on different databases from blocking each other.
     */
    private static final String SCOPED_NAME = "LEFT(CONCAT(IFNULL(DATABASE(), ''), '/', ?), " + MAX_NAME_LENGTH + ")";

    @Inject
    DataSource dataSource;

    /** A held lock; closing it releases the lock and returns the connection. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes the lock {@code name} if it is free or becomes free within {@code wait} (zero: do
     * not wait); empty when another process holds it.
     */
    public Optional<Held> tryAcquire(String name, Duration wait) {
        String lockName = name.length() > MAX_NAME_LENGTH ? name.substring(0, MAX_NAME_LENGTH) : name;
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            try (PreparedStatement statement = connection.prepareStatement("SELECT GET_LOCK(" + SCOPED_NAME + ", ?)")) {
                statement.setString(1, lockName);
                statement.setLong(2, Math.max(0, wait.toSeconds()));
                try (ResultSet result = statement.executeQuery()) {
                    if (result.next() && result.getInt(1) == 1) {
                        Connection held = connection;
                        connection = null;
                        return Optional.of(() -> release(held, lockName));
                    }
                }
            }
            return Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("cluster lock " + lockName + " could not be taken", e);
        } finally {
            closeQuietly(connection);
        }
    }

    private static void release(Connection connection, String lockName) {
        try (PreparedStatement statement = connection.prepareStatement("SELECT RELEASE_LOCK(" + SCOPED_NAME + ")")) {
            statement.setString(1, lockName);
            statement.executeQuery().close();
        } catch (SQLException e) {
            LOG.warnf("cluster lock %s could not be released cleanly; closing its connection frees it", lockName);
        } finally {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing a lock connection failed", e);
            }
        }
    }
}

package io.segmentpress.brief;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Named locks held by the database ({@code GET_LOCK}), so that work runs once across all replicas
 * of the service: the scheduled generation once per cluster, and one generation per site at a time.
 * A lock lives as long as its connection, so a crashed replica never leaves one behind.
 */
@ApplicationScoped
public class DatabaseLocks {

    @Inject
    DataSource dataSource;

    /** A held lock; closing it releases the lock and its connection. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Takes {@code name}, waiting up to {@code waitSeconds}; empty when another session holds it. */
    public Optional<Held> tryAcquire(String name, int waitSeconds) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            try (PreparedStatement statement = connection.prepareStatement("SELECT GET_LOCK(?, ?)")) {
                statement.setString(1, name);
                statement.setInt(2, waitSeconds);
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next() && rs.getInt(1) == 1) {
                        Connection held = connection;
                        connection = null;
                        return Optional.of(() -> release(held, name));
                    }
                }
            }
            return Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not take database lock " + name, e);
        } finally {
            closeQuietly(connection);
        }
    }

    private static void release(Connection connection, String name) {
        try (PreparedStatement statement = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            statement.setString(1, name);
            statement.execute();
        } catch (SQLException e) {
            // Closing the connection below releases the lock anyway.
        } finally {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing left to do with a connection that cannot be closed
            }
        }
    }
}

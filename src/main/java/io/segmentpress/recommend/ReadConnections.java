package io.segmentpress.recommend;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * Connections for this feature's reads outside a transaction. A pooled connection handed back
 * with autocommit off would make every later SELECT on it part of one long transaction that keeps
 * reading an old snapshot (REPEATABLE READ); recommendations must see the latest reads and
 * catalog, so each read starts in autocommit mode (a local check, no round trip when it already is).
 */
final class ReadConnections {

    private ReadConnections() {
    }

    static Connection open(DataSource dataSource) throws SQLException {
        Connection connection = dataSource.getConnection();
        if (!connection.getAutoCommit()) {
            connection.setAutoCommit(true);
        }
        return connection;
    }
}

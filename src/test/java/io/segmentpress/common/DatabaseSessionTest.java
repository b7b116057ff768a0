package io.segmentpress.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** What every pooled connection's session is set to before the service uses it. */
@QuarkusTest
class DatabaseSessionTest {

    @Inject
    DataSource dataSource;

    @Test
    void sessionsAreUtcAndGiveUpOnRowLocksBeforeTheDriverDropsTheConnection() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT @@session.time_zone, @@session.innodb_lock_wait_timeout")) {
            rs.next();
            assertEquals("+00:00", rs.getString(1));
            long lockWaitMillis = rs.getLong(2) * 1000;
            int socketTimeoutMillis = connection.getNetworkTimeout();
            assertTrue(socketTimeoutMillis > 0, "the driver has a socket timeout");
            assertTrue(lockWaitMillis < socketTimeoutMillis,
                    "lock wait " + lockWaitMillis + " ms must end before the socket timeout " + socketTimeoutMillis + " ms");
        }
    }
}

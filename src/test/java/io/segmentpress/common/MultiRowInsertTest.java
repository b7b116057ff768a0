package io.segmentpress.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Multi-row writes store every value as bound, over statement boundaries; timestamps (sent as UTC
 * text) land on the same millisecond the server computes from them, whatever the time of day.
 */
@QuarkusTest
class MultiRowInsertTest {

    @Inject
    DataSource dataSource;

    @Test
    void everyRowAndValueIsStoredAsBoundAcrossStatements() throws Exception {
        Instant base = Instant.parse("2026-03-29T00:59:59.999Z"); // a summer-time switch in Europe: the zone must not matter
        List<Object[]> rows = new ArrayList<>();
        int count = 1_203; // three statements of at most 500 rows
        for (int i = 0; i < count; i++) {
            Timestamp at = i % 7 == 0 ? null : Timestamp.from(base.plusMillis(i * 3_601_001L));
            rows.add(new Object[] { (long) i, at, i % 5 == 0 ? null : "row ' \" \\ " + i, BigDecimal.valueOf(i, 2), i % 2 == 0 });
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMPORARY TABLE multi_row_probe (id BIGINT PRIMARY KEY, at DATETIME(3) NULL, label VARCHAR(100) NULL, "
                    + "amount DECIMAL(10,2) NOT NULL, flag BOOLEAN NOT NULL)");
            MultiRowInsert.execute(connection, "INSERT INTO multi_row_probe (id, at, label, amount, flag)", 5, null, rows);
            int read = 0;
            try (ResultSet rs = statement.executeQuery("SELECT id, TIMESTAMPDIFF(MICROSECOND, '1970-01-01', at) DIV 1000, label, amount, flag "
                    + "FROM multi_row_probe ORDER BY id")) {
                while (rs.next()) {
                    Object[] row = rows.get(read++);
                    assertEquals(row[0], rs.getLong(1));
                    long millis = rs.getLong(2);
                    if (row[1] == null) {
                        assertNull(rs.getObject(2), "row " + row[0]);
                    } else {
                        assertEquals(((Timestamp) row[1]).getTime(), millis, "row " + row[0]);
                    }
                    assertEquals(row[2], rs.getString(3));
                    assertEquals(row[3], rs.getBigDecimal(4));
                    assertEquals(row[4], rs.getBoolean(5));
                }
            }
            assertEquals(count, read);
            statement.execute("DROP TEMPORARY TABLE multi_row_probe");
        }
    }
}

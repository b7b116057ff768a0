package io.segmentpress.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.mysql.cj.jdbc.JdbcConnection;

import io.quarkus.test.junit.QuarkusTest;
import io.segmentpress.common.DbTime;

/**
 * The segment engine and the recommendation reads take {@code occurred_at} as the server sends it
 * and turn it into epoch milliseconds themselves. Checked against the server's own arithmetic, in both wire protocols.
 */
@QuarkusTest
class EventTimeDecodingTest {

    private static final DateTimeFormatter SQL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final String QUERY = "SELECT CAST(? AS DATETIME(3)), TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', CAST(? AS DATETIME(3))) DIV 1000";

    @Inject
    DataSource dataSource;

    @Test
    void decodesAsTheServerCountsInBothProtocols() throws Exception {
        Random random = new Random(5);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement binary = connection.unwrap(JdbcConnection.class).serverPrepareStatement(QUERY);
                PreparedStatement text = connection.prepareStatement(QUERY)) {
            for (int i = 0; i < 400; i++) {
                LocalDateTime value = sample(random, i);
                String literal = SQL.format(value);
                long expected = value.toInstant(ZoneOffset.UTC).toEpochMilli();
                assertEquals(expected, decode(binary, literal, true), literal + " (binary)");
                assertEquals(expected, decode(text, literal, false), literal + " (text)");
            }
        }
    }

    @Test
    void decodesEveryLengthOfTheBinaryForm() {
        // 2026-01-02, then 03:04:05, then .007 (7,000 µs): the server leaves out what is zero
        assertEquals(LocalDateTime.of(2026, 1, 2, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli(),
                DbTime.epochMillisOfBinaryDatetime(new byte[] { (byte) 0xea, 7, 1, 2 }));
        assertEquals(LocalDateTime.of(2026, 1, 2, 3, 4, 5).toInstant(ZoneOffset.UTC).toEpochMilli(),
                DbTime.epochMillisOfBinaryDatetime(new byte[] { (byte) 0xea, 7, 1, 2, 3, 4, 5 }));
        assertEquals(LocalDateTime.of(2026, 1, 2, 3, 4, 5, 7_000_000).toInstant(ZoneOffset.UTC).toEpochMilli(),
                DbTime.epochMillisOfBinaryDatetime(new byte[] { (byte) 0xea, 7, 1, 2, 3, 4, 5, 0x58, 0x1b, 0, 0 }));
        assertNull(DbTime.epochMillisOfBinaryDatetime(new byte[0]));
        assertNull(DbTime.epochMillisOfDatetimeText("0000-00-00 00:00:00.000".getBytes(StandardCharsets.US_ASCII)));
    }

    /** Midnights, leap days, ends of months and years, times before 1970, and plain random instants. */
    private static LocalDateTime sample(Random random, int i) {
        return switch (i % 6) {
            case 0 -> LocalDateTime.of(1950 + random.nextInt(120), 1 + random.nextInt(12), 1, 0, 0);
            case 1 -> LocalDateTime.of(2000 + 4 * random.nextInt(20), 2, 29, random.nextInt(24), random.nextInt(60), random.nextInt(60),
                    random.nextInt(1000) * 1_000_000);
            case 2 -> LocalDateTime.of(1960 + random.nextInt(100), 12, 31, 23, 59, 59, 999_000_000);
            case 3 -> LocalDateTime.of(1969, 12, 31, 23, 59, 59, random.nextInt(1000) * 1_000_000);
            default -> LocalDateTime.ofEpochSecond(random.nextLong(-2_000_000_000L, 4_000_000_000L), random.nextInt(1000) * 1_000_000,
                    ZoneOffset.UTC);
        };
    }

    private static long decode(PreparedStatement statement, String literal, boolean binary) throws Exception {
        statement.setString(1, literal);
        statement.setString(2, literal);
        try (ResultSet rows = statement.executeQuery()) {
            rows.next();
            byte[] bytes = rows.getBytes(1);
            Long decoded = binary ? DbTime.epochMillisOfBinaryDatetime(bytes) : DbTime.epochMillisOfDatetimeText(bytes);
            assertEquals(rows.getLong(2), decoded, literal + ": the server's own count");
            assertEquals(decoded, DbTime.epochMillisOfDatetime(bytes), literal + ": the protocol told from the bytes");
            return decoded;
        }
    }
}

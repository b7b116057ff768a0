package io.segmentpress.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes many rows with few round trips: {@code INSERT ... VALUES (...),(...),...} in groups,
 * optionally with an {@code ON DUPLICATE KEY UPDATE} clause.
 */
public final class MultiRowInsert {

    private static final int ROWS_PER_STATEMENT = 500;

    private MultiRowInsert() {
    }

    public static void execute(Connection connection, String insertInto, int columns, String onDuplicate, List<Object[]> rows)
            throws SQLException {
        String tuple = "(" + "?,".repeat(columns - 1) + "?)";
        for (int start = 0; start < rows.size(); start += ROWS_PER_STATEMENT) {
            int end = Math.min(rows.size(), start + ROWS_PER_STATEMENT);
            StringBuilder sql = new StringBuilder(insertInto.length() + (end - start) * (tuple.length() + 1) + 100).append(insertInto)
                    .append(" VALUES ");
            for (int i = start; i < end; i++) {
                sql.append(i == start ? "" : ",").append(tuple);
            }
            if (onDuplicate != null) {
                sql.append(' ').append(onDuplicate);
            }
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                int index = 1;
                for (int i = start; i < end; i++) {
                    for (Object value : rows.get(i)) {
                        bind(statement, index++, value);
                    }
                }
                statement.executeUpdate();
            }
        }
    }

    /**
     * Binds with the setter for the value's type: the MySQL driver's {@code setObject} looks the
     * class up in a map for every value, which shows on writes of a hundred thousand rows.
     * Timestamps go as UTC text with milliseconds, which is what the driver sends for them too
     * (the connection's time zone is UTC), without the formatter it creates per value.
     */
    private static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value instanceof Long number) {
            statement.setLong(index, number);
        } else if (value instanceof Integer number) {
            statement.setInt(index, number);
        } else if (value instanceof String text) {
            statement.setString(index, text);
        } else if (value instanceof java.math.BigDecimal number) {
            statement.setBigDecimal(index, number);
        } else if (value instanceof java.sql.Timestamp timestamp) {
            statement.setString(index, DbTime.format(timestamp.toInstant()));
        } else if (value instanceof Boolean flag) {
            statement.setBoolean(index, flag);
        } else {
            statement.setObject(index, value);
        }
    }

    /** {@code (?,?,...)} with {@code count} placeholders, for IN lists. */
    public static String placeholders(int count) {
        return "(" + "?,".repeat(Math.max(0, count - 1)) + (count > 0 ? "?" : "") + ")";
    }
}

package io.segmentpress.common;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * DATETIME values as the service writes and reads them, always UTC: millisecond-precise literals
 * for DATETIME(3) columns (the MySQL driver drops fractional seconds from Timestamp parameters
 * when a MariaDB 10.x server announces itself as "5.5.5-…", so hot paths that need the
 * milliseconds bind this text instead), and epoch milliseconds of a value as the server sends it.
 */
public final class DbTime {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private DbTime() {
    }

    public static String format(Instant instant) {
        return instant == null ? null : FORMAT.format(instant);
    }

    /**
     * An instant to compare a DATETIME(3) column with, rounded up to the next millisecond: for a
     * stored value v (whole milliseconds), {@code v >= bound} and {@code v < bound} say the same
     * as comparing v with the instant itself. Bound as text, because Connector/J drops the
     * fractional seconds of a bound {@code Timestamp} on MariaDB (it reads MariaDB's "5.5.5-"
     * version prefix as a server without them), which would move a bound by up to a second.
     */
    public static String bound(Instant instant) {
        Instant millis = instant.truncatedTo(ChronoUnit.MILLIS);
        return FORMAT.format(millis.equals(instant) ? millis : millis.plusMillis(1));
    }

    /**
     * Epoch milliseconds of a DATETIME column's raw bytes ({@code ResultSet.getBytes}) in either
     * wire protocol: the binary form is at most 11 bytes, the text form at least 19. Null for the
     * zero date.
     */
    public static Long epochMillisOfDatetime(byte[] bytes) {
        return bytes.length > 11 ? epochMillisOfDatetimeText(bytes) : epochMillisOfBinaryDatetime(bytes);
    }

    /**
     * Epoch milliseconds of a DATETIME in the binary protocol's form (year as two little-endian
     * bytes, month, day, then optionally hour, minute, second, and optionally microseconds as four
     * little-endian bytes), read as UTC. Whole milliseconds towards zero, as
     * {@code TIMESTAMPDIFF(MICROSECOND, '1970-01-01', t) DIV 1000}; null for the zero date.
     */
    public static Long epochMillisOfBinaryDatetime(byte[] bytes) {
        if (bytes.length < 4) {
            return null;
        }
        int year = (bytes[0] & 0xff) | (bytes[1] & 0xff) << 8;
        int hour = bytes.length >= 7 ? bytes[4] : 0;
        int minute = bytes.length >= 7 ? bytes[5] : 0;
        int second = bytes.length >= 7 ? bytes[6] : 0;
        int micros = bytes.length >= 11 ? (bytes[7] & 0xff) | (bytes[8] & 0xff) << 8 | (bytes[9] & 0xff) << 16 | (bytes[10] & 0xff) << 24 : 0;
        return epochMillis(year, bytes[2], bytes[3], hour, minute, second, micros);
    }

    /**
     * As {@link #epochMillisOfBinaryDatetime} for the text form {@code 2026-11-30 01:02:03[.fraction]}
     * the server sends (the column's raw bytes, {@code ResultSet.getBytes} in the text protocol),
     * read digit by digit: a per-row hot path. Asking the driver for the column as a string or a
     * {@code Timestamp} instead costs it a decoded value and, for the string, a {@code String.format}.
     */
    public static Long epochMillisOfDatetimeText(byte[] text) {
        if (text.length >= 4 && text[0] == '0' && text[1] == '0' && text[2] == '0' && text[3] == '0') {
            return null; // the zero date
        }
        int micros = 0;
        int digits = 0;
        for (int i = 20; i < text.length && digits < 6; i++, digits++) {
            micros = micros * 10 + digit(text, i);
        }
        for (; digits < 6; digits++) {
            micros *= 10;
        }
        return epochMillis(number(text, 0, 4), number(text, 5, 7), number(text, 8, 10), number(text, 11, 13), number(text, 14, 16),
                number(text, 17, 19), micros);
    }

    private static int number(byte[] text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + digit(text, i);
        }
        return value;
    }

    private static int digit(byte[] text, int at) {
        if (at >= text.length || text[at] < '0' || text[at] > '9') {
            throw new IllegalArgumentException("not a DATETIME: " + new String(text, StandardCharsets.US_ASCII));
        }
        return text[at] - '0';
    }

    private static long epochMillis(int year, int month, int day, int hour, int minute, int second, int micros) {
        long seconds = LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3_600L + minute * 60L + second;
        return (seconds * 1_000_000L + micros) / 1000;
    }
}

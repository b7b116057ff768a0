package io.segmentpress.common;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Millisecond-precise UTC literals for DATETIME(3) columns. The MySQL driver drops fractional
 * seconds from Timestamp parameters when a MariaDB 10.x server announces itself as "5.5.5-…",
 * so hot paths that need the milliseconds bind this text instead.
 */
public final class DbTime {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private DbTime() {
    }

    public static String format(Instant instant) {
        return instant == null ? null : FORMAT.format(instant);
    }
}

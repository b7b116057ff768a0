package io.segmentpress.ingest;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.segmentpress.TestSites;
import io.segmentpress.TestSites.TestSite;

/**
 * A request's events are stored in full chunks through the statement prepared on the server
 * (binary values) and the rest through a client-prepared statement (text). Both must store every
 * column alike, and a duplicate in any chunk must be reported without storing anything twice.
 */
@QuarkusTest
class EventChunkStorageTest {

    private static final String COLUMNS = "type, name, anonymous_id, user_id, occurred_at, post_id, product_id, order_id, revenue, discount, "
            + "coupon, engaged_seconds, scroll_depth, search_query, url, referrer, properties, context, traits";

    @Inject
    DataSource dataSource;

    /** Fifty different events: hostile and non-Latin text, decimals, nulls, every extracted column. */
    private static List<Map<String, Object>> templates(String anonymousId, Instant start) {
        String[] texts = { "plain", "O'Brien \\ \"quoted\" \\' '; DROP TABLE event; --", "caf\u00e9 \u65e5\u672c\u8a9e \uD83D\uDE00 \u202Eevil",
                "line\nbreak\ttab\r", "", "%_ wildcards %", "\\x27 \\0 \\Z", "<script>alert(1)</script>" };
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String text = texts[i % texts.length];
            Map<String, Object> properties = new LinkedHashMap<>();
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("type", i % 10 == 0 ? "page" : "track");
            if (i % 10 != 0) {
                event.put("event", switch (i % 4) {
                    case 1 -> "Order Completed";
                    case 2 -> "Products Searched";
                    case 3 -> "Content Engaged";
                    default -> "Product Viewed " + text;
                });
            }
            event.put("anonymousId", anonymousId);
            if (i % 3 == 0) {
                event.put("userId", "user-" + text);
            }
            event.put("timestamp", start.plusMillis(i * 1_001L + i % 7).toString());
            if (i % 2 == 0) {
                properties.put("post_id", 1_000 + i);
            }
            if (i % 4 == 1) {
                properties.put("order_id", "order-" + i);
                properties.put("revenue", i % 8 == 1 ? 12.5 : 1_234_567.89);
                properties.put("discount", i % 8 == 1 ? 0 : 0.01);
                properties.put("coupon", text);
                properties.put("product_id", "sku-" + text);
            }
            if (i % 4 == 2) {
                properties.put("query", text);
            }
            if (i % 4 == 3) {
                properties.put("engaged_seconds", i * 3);
                properties.put("scroll_depth", 37.5);
            }
            properties.put("note", text);
            event.put("properties", properties);
            event.put("context", Map.of("page", Map.of("url", "https://example.test/p/" + i + "?q=" + text, "referrer", text)));
            if (i % 5 == 0) {
                event.put("traits", Map.of("name", text));
            }
            events.add(event);
        }
        return events;
    }

    @Test
    void fullChunksAndTheRemainderStoreEveryColumnAlike() throws SQLException {
        TestSite site = TestSites.create();
        Instant start = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        List<Map<String, Object>> templates = templates(TestSites.unique("a"), start);
        // five copies: positions 0–199 fill two chunks, 200–249 are the remainder
        int copies = (2 * EventStore.CHUNK_ROWS + templates.size()) / templates.size();
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int copy = 0; copy < copies; copy++) {
            for (Map<String, Object> template : templates) {
                Map<String, Object> event = new LinkedHashMap<>(template);
                event.put("messageId", TestSites.unique("m"));
                batch.add(event);
            }
        }
        long executionsBefore = preparedExecutions();
        site.sendBatch(batch).then().statusCode(200).body("accepted", equalTo(batch.size())).body("duplicates", equalTo(0));
        assertTrue(preparedExecutions() - executionsBefore >= 2, "the two full chunks ran as server-side prepared statements");

        Map<String, Map<String, Object>> stored = storedByMessageId(site.id());
        assertEquals(batch.size(), stored.size());
        for (int k = 0; k < templates.size(); k++) {
            Map<String, Object> remainder = stored.get((String) batch.get(batch.size() - templates.size() + k).get("messageId"));
            for (int copy = 0; copy < copies - 1; copy++) {
                Map<String, Object> inChunk = stored.get((String) batch.get(copy * templates.size() + k).get("messageId"));
                assertEquals(remainder, inChunk, "event " + k + " stored from a chunk and from the remainder");
            }
        }
        // and what was stored is what was sent
        Map<String, Object> order = stored.get((String) batch.get(1).get("messageId"));
        assertEquals(new BigDecimal("12.50"), order.get("revenue"));
        assertEquals(new BigDecimal("0.00"), order.get("discount"));
        assertEquals("O'Brien \\ \"quoted\" \\' '; DROP TABLE event; --", order.get("coupon"));
        assertEquals("Order Completed", order.get("name"));
        assertNull(order.get("user_id"));
        Map<String, Object> search = stored.get((String) batch.get(2).get("messageId"));
        assertEquals("caf\u00e9 \u65e5\u672c\u8a9e \uD83D\uDE00 \u202Eevil", search.get("search_query"));
        assertEquals(1_002L, ((Number) search.get("post_id")).longValue());
        assertEquals(LocalDateTime.ofInstant(start.plusMillis(2 * 1_001L + 2), ZoneOffset.UTC), search.get("occurred_at"));
        Map<String, Object> engaged = stored.get((String) batch.get(3).get("messageId"));
        assertEquals(9, ((Number) engaged.get("engaged_seconds")).intValue());
        assertEquals("user-line\nbreak\ttab\r", engaged.get("user_id"));
        Map<String, Object> page = stored.get((String) batch.get(0).get("messageId"));
        assertEquals("page", page.get("type"));
        assertEquals("https://example.test/p/0?q=plain", page.get("url"));
    }

    @Test
    void aDuplicateInALaterChunkIsReportedAndStoredOnce() throws SQLException {
        TestSite site = TestSites.create();
        List<Map<String, Object>> first = templates(TestSites.unique("a"), Instant.now().minus(1, ChronoUnit.DAYS));
        for (Map<String, Object> event : first) {
            event.put("messageId", TestSites.unique("m"));
        }
        site.sendBatch(first).then().statusCode(200).body("accepted", equalTo(first.size()));

        List<Map<String, Object>> second = new ArrayList<>();
        for (int i = 0; i < 3 * EventStore.CHUNK_ROWS + 7; i++) {
            Map<String, Object> event = new LinkedHashMap<>(first.get(i % first.size()));
            event.put("messageId", TestSites.unique("m"));
            second.add(event);
        }
        second.set(EventStore.CHUNK_ROWS + 42, first.get(17)); // a retry of an event stored before, in the second chunk
        second.set(3 * EventStore.CHUNK_ROWS + 3, first.get(18)); // and one in the remainder
        site.sendBatch(second).then().statusCode(200).body("accepted", equalTo(second.size() - 2)).body("duplicates", equalTo(2));

        Map<String, Map<String, Object>> stored = storedByMessageId(site.id());
        assertEquals(first.size() + second.size() - 2, stored.size());
        for (Map<String, Object> event : second) {
            assertEquals(event.get("type"), stored.get((String) event.get("messageId")).get("type"));
        }
    }

    /** The server's count of prepared-statement executions (binary protocol), all sessions. */
    private long preparedExecutions() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SHOW GLOBAL STATUS LIKE 'Com_stmt_execute'");
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(2);
        }
    }

    private Map<String, Map<String, Object>> storedByMessageId(long siteId) throws SQLException {
        Map<String, Map<String, Object>> rows = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT message_id, " + COLUMNS + " FROM event WHERE site_id = ?")) {
            statement.setLong(1, siteId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 2; c <= rs.getMetaData().getColumnCount(); c++) {
                        row.put(rs.getMetaData().getColumnLabel(c), rs.getObject(c));
                    }
                    rows.put(rs.getString(1), row);
                }
            }
        }
        return rows;
    }
}

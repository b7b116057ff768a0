package io.segmentpress.segment.bench;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.segment.SegmentEngine;
import io.segmentpress.segment.SegmentsConfig;

/**
 * Full and incremental segment recompute against one GROUP BY pass over the same events.
 * Run with {@code bench/segments.sh} (or {@code mvn -B -Pbench-segments test}); it uses the
 * database {@code sp_segments_bench}, generates 100k visitors and 5M events there once with JDBC
 * multi-row inserts, and reuses them on later runs. Not part of the normal test run.
 */
@QuarkusTest
class SegmentRecomputeBenchmark {

    static final String SITE_NAME = "segments-bench";
    static final int VISITORS = Integer.getInteger("bench.visitors", 100_000);
    static final int EVENTS = Integer.getInteger("bench.events", 5_000_000);
    static final int POSTS = 2_000;
    static final int CATEGORIES = 20;
    static final int ROWS_PER_INSERT = 1_000;
    static final String INCREMENT_PREFIX = "inc-";

    @Inject
    DataSource dataSource;

    @Inject
    SegmentEngine engine;

    @Inject
    AppClock clock;

    @Inject
    SegmentsConfig config;

    @Test
    void fullAndIncrementalRecompute() throws Exception {
        long siteId;
        try (Connection connection = dataSource.getConnection()) {
            siteId = prepare(connection);
            report("data", "site %d: %,d visitors, %,d events, %,d posts in %d categories; durability innodb_flush_log_at_trx_commit=%s; "
                    + "insert batch %d rows", siteId, count(connection, "SELECT COUNT(*) FROM visitor WHERE site_id = " + siteId),
                    count(connection, "SELECT COUNT(*) FROM event WHERE site_id = " + siteId), POSTS, CATEGORIES,
                    variable(connection, "innodb_flush_log_at_trx_commit"), ROWS_PER_INSERT);
        }

        long baselineCold = groupByPass(siteId);
        SegmentEngine.RecomputeResult first = engine.recomputeSite(siteId);
        report("full (first, writes every profile)", "%,d visitors, %,d memberships in %,d ms", first.visitors(), first.memberships(),
                first.tookMs());
        long baseline = groupByPass(siteId);
        SegmentEngine.RecomputeResult steady = engine.recomputeSite(siteId);
        report("full (steady state)", "%,d visitors, %,d memberships in %,d ms", steady.visitors(), steady.memberships(), steady.tookMs());
        report("baseline", "GROUP BY visitor pass: %,d ms (before the first recompute: %,d ms)", baseline, baselineCold);
        report("ratio full/baseline", "%.2f (first run %.2f); target ≤ 1.5 and ≤ 30 s", steady.tookMs() / (double) baseline,
                first.tookMs() / (double) baseline);

        int newEvents;
        try (Connection connection = dataSource.getConnection()) {
            newEvents = addIncrement(connection, siteId, "", 3 * 24 * 60, EVENTS / 100 / (VISITORS / 50), false);
        }
        long started = System.nanoTime();
        int drained = engine.drainDirty();
        long incrementalMs = (System.nanoTime() - started) / 1_000_000;
        report("incremental", "%,d new events (1%%) for %,d visitors drained in %,d ms (%d round(s) of at most %,d visitors; "
                + "drain-max-share %.2f: a drain rests only between rounds)", newEvents, drained, incrementalMs,
                (drained + config.drainBatchSize() - 1) / config.drainBatchSize(), config.drainBatchSize(), config.drainMaxShare());
        report("ratio incremental/full", "%.3f; target ≤ 0.05", incrementalMs / (double) steady.tookMs());

        // the same visitors read on, one page each: what a drain meets most under steady traffic; few change segments
        try (Connection connection = dataSource.getConnection()) {
            newEvents = addIncrement(connection, siteId, "next-", 1, 1, true);
        }
        started = System.nanoTime();
        drained = engine.drainDirty();
        long continuedMs = (System.nanoTime() - started) / 1_000_000;
        report("incremental, one more page", "%,d page views (one per visitor, the last minute) for %,d visitors drained in %,d ms",
                newEvents, drained, continuedMs);
        report("ratio (one more page)/full", "%.3f", continuedMs / (double) steady.tookMs());
    }

    private long groupByPass(long siteId) throws SQLException {
        long started = System.nanoTime();
        long rows = 0;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT visitor_id, COUNT(*), MAX(occurred_at) FROM event WHERE site_id = ? GROUP BY visitor_id",
                        ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            statement.setFetchSize(Integer.MIN_VALUE);
            statement.setLong(1, siteId);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    result.getLong(1);
                    result.getLong(2);
                    result.getTimestamp(3);
                    rows++;
                }
            }
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        report("baseline pass", "%,d visitors in %,d ms", rows, ms);
        return ms;
    }

    // ------------------------------------------------------------------ data

    private long prepare(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        Long existing = null;
        try (PreparedStatement statement = connection.prepareStatement("SELECT id FROM site WHERE name = ?")) {
            statement.setString(1, SITE_NAME);
            try (ResultSet rows = statement.executeQuery()) {
                if (rows.next()) {
                    existing = rows.getLong(1);
                }
            }
        }
        if (existing != null) {
            execute(connection, "DELETE FROM event WHERE site_id = " + existing + " AND message_id LIKE '" + INCREMENT_PREFIX + "%'");
            execute(connection, "DELETE FROM visitor_dirty WHERE site_id = " + existing);
            if (count(connection, "SELECT COUNT(*) FROM event WHERE site_id = " + existing) >= EVENTS) {
                report("data", "reusing the generated site %d", existing);
                return existing;
            }
            execute(connection, "DELETE FROM site WHERE id = " + existing);
        }
        long siteId;
        Instant now = clock.now();
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO site (name, url, allowed_origins, timezone, currency, "
                + "created_at, updated_at) VALUES (?, 'https://bench.example.com', '[]', 'UTC', 'USD', ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            statement.setString(1, SITE_NAME);
            statement.setTimestamp(2, Timestamp.from(now));
            statement.setTimestamp(3, Timestamp.from(now));
            statement.executeUpdate();
            try (ResultSet keys = statement.getGeneratedKeys()) {
                keys.next();
                siteId = keys.getLong(1);
            }
        }
        long started = System.nanoTime();
        for (String table : List.of("event", "visitor_identity", "visitor_profile", "segment_membership", "segment_transition",
                "content_term", "content_item")) {
            execute(connection, "DELETE FROM " + table + " WHERE site_id IN (SELECT id FROM site WHERE name = '" + SITE_NAME + "' AND id <> "
                    + siteId + ")");
        }
        generateCatalog(connection, siteId, now);
        long firstVisitor = generateVisitors(connection, siteId, now);
        generateEvents(connection, siteId, firstVisitor, now);
        report("data", "generated in %,d s", (System.nanoTime() - started) / 1_000_000_000);
        return siteId;
    }

    private static void generateCatalog(Connection connection, long siteId, Instant now) throws SQLException {
        List<Object[]> items = new ArrayList<>();
        List<Object[]> terms = new ArrayList<>();
        Timestamp at = Timestamp.from(now);
        for (int post = 1; post <= POSTS; post++) {
            String category = "category-" + (post % CATEGORIES);
            items.add(new Object[] { siteId, post, "Post " + post, "https://bench.example.com/p/" + post, post % 10 == 0 ? "product" : "post",
                    "publish", at, at, "[\"" + category + "\"]", "[]", at, post % 10 == 0 ? "consideration" : null });
            terms.add(new Object[] { siteId, post, "category", category, "Category " + (post % CATEGORIES) });
        }
        insert(connection, "INSERT INTO content_item (site_id, content_id, title, url, type, status, published_at, modified_at, "
                + "categories, tags, synced_at, journey_stage)", 12, items);
        insert(connection, "INSERT INTO content_term (site_id, content_id, taxonomy, slug, name)", 5, terms);
    }

    private static long generateVisitors(Connection connection, long siteId, Instant now) throws SQLException {
        List<Object[]> visitors = new ArrayList<>();
        Timestamp at = Timestamp.from(now);
        for (int i = 0; i < VISITORS; i++) {
            visitors.add(new Object[] { siteId, at });
        }
        insert(connection, "INSERT INTO visitor (site_id, created_at)", 2, visitors);
        long first = count(connection, "SELECT MIN(id) FROM visitor WHERE site_id = " + siteId);
        List<Object[]> identities = new ArrayList<>();
        for (int i = 0; i < VISITORS; i++) {
            identities.add(new Object[] { siteId, "anon", "anon-" + i, first + i, at });
            if (i % 5 == 0) {
                identities.add(new Object[] { siteId, "user", "user-" + i, first + i, at });
            }
        }
        insert(connection, "INSERT INTO visitor_identity (site_id, kind, external_id, visitor_id, created_at)", 5, identities);
        return first;
    }

    /** Events in blocks of 1,000 visitors, each block in time order, so rows interleave like real traffic. */
    private static void generateEvents(Connection connection, long siteId, long firstVisitor, Instant now) throws SQLException {
        Random random = new Random(42);
        int perVisitor = EVENTS / VISITORS;
        int block = 1_000;
        long message = 0;
        for (int start = 0; start < VISITORS; start += block) {
            List<Object[]> rows = new ArrayList<>(block * perVisitor);
            for (int v = start; v < Math.min(VISITORS, start + block); v++) {
                // a lifespan somewhere in the last 400 days; some visitors are long gone, some new
                long lifespanStart = now.minus(Duration.ofDays(random.nextInt(400))).toEpochMilli();
                long lifespan = Math.min(now.toEpochMilli() - lifespanStart, Duration.ofDays(1 + random.nextInt(120)).toMillis());
                for (int e = 0; e < perVisitor; e++) {
                    long at = lifespanStart + (long) (random.nextDouble() * lifespan);
                    rows.add(event(random, siteId, firstVisitor + v, "m" + (message++), v, at, now, false));
                }
            }
            rows.sort(Comparator.comparingLong(row -> ((Timestamp) row[6]).getTime()));
            insert(connection, EVENT_INSERT, 21, rows);
        }
    }

    static final String EVENT_INSERT = "INSERT INTO event (site_id, visitor_id, message_id, type, name, anonymous_id, occurred_at, "
            + "received_at, post_id, product_id, order_id, revenue, discount, coupon, engaged_seconds, scroll_depth, url, user_id, "
            + "search_query, properties, context)";

    private static Object[] event(Random random, long siteId, long visitorId, String messageId, int visitorIndex, long at, Instant now,
            boolean pageView) {
        int kind = pageView ? 0 : random.nextInt(1000);
        String type = "track";
        String name;
        Long postId = null;
        String productId = null;
        String orderId = null;
        BigDecimal revenue = null;
        BigDecimal discount = null;
        String coupon = null;
        Integer engaged = null;
        Integer scroll = null;
        String query = null;
        if (kind < 550) {
            type = "page";
            name = null;
            postId = (long) (1 + (visitorIndex * 7 + random.nextInt(40)) % POSTS);
        } else if (kind < 750) {
            name = "Content Engaged";
            postId = (long) (1 + (visitorIndex * 7 + random.nextInt(40)) % POSTS);
            engaged = random.nextInt(300);
            scroll = random.nextInt(101);
        } else if (kind < 830) {
            name = "Product Viewed";
            productId = String.valueOf(random.nextInt(200));
        } else if (kind < 880) {
            name = "Products Searched";
            query = "query " + random.nextInt(100);
        } else if (kind < 920) {
            name = "Product Added";
            productId = String.valueOf(random.nextInt(200));
        } else if (kind < 930) {
            name = "Checkout Started";
        } else if (kind < 950) {
            name = "Order Completed";
            orderId = "o-" + messageId;
            revenue = BigDecimal.valueOf(10 + random.nextInt(300));
            if (random.nextInt(3) == 0) {
                coupon = "SAVE" + random.nextInt(20);
            }
        } else if (kind < 952) {
            name = "Order Refunded";
            orderId = "o-unknown";
            revenue = BigDecimal.TEN;
        } else {
            name = "Signed In";
        }
        String properties = "{\"post_id\":" + postId + ",\"title\":\"Post title " + postId + "\",\"url\":\"https://bench.example.com/p/"
                + postId + "\",\"categories\":[\"category-" + (postId == null ? 0 : postId % CATEGORIES) + "\"]}";
        String context = "{\"page\":{\"url\":\"https://bench.example.com/\",\"referrer\":\"https://www.google.com/\"},"
                + "\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Safari/537.36\"}";
        return new Object[] { siteId, visitorId, messageId, type, name, "anon-" + visitorIndex, new Timestamp(at), Timestamp.from(now),
                postId, productId, orderId, revenue, discount, coupon, engaged, scroll, "https://bench.example.com/p/" + postId,
                visitorIndex % 5 == 0 ? "user-" + visitorIndex : null, query, properties, context };
    }

    /**
     * More events, as traffic of the last {@code minutes}: 2 % of visitors (the same ones on every
     * call) come with {@code perVisitor} events each (any kind, or page views only); ingest marks
     * them dirty.
     */
    private int addIncrement(Connection connection, long siteId, String prefix, int minutes, int perVisitor, boolean pageViews)
            throws SQLException {
        Random visitors = new Random(7);
        Random random = new Random(7 + prefix.hashCode());
        long firstVisitor = count(connection, "SELECT MIN(id) FROM visitor WHERE site_id = " + siteId);
        Instant now = clock.now();
        int returning = VISITORS / 50;
        List<Object[]> rows = new ArrayList<>();
        List<Object[]> dirty = new ArrayList<>();
        for (int i = 0; i < returning; i++) {
            int visitorIndex = visitors.nextInt(VISITORS);
            dirty.add(new Object[] { siteId, firstVisitor + visitorIndex, Timestamp.from(now) });
            for (int e = 0; e < perVisitor; e++) {
                long at = now.minus(Duration.ofMinutes(random.nextInt(minutes))).toEpochMilli();
                rows.add(event(random, siteId, firstVisitor + visitorIndex, INCREMENT_PREFIX + prefix + i + "-" + e, visitorIndex, at, now,
                        pageViews));
            }
        }
        insert(connection, EVENT_INSERT, 21, rows);
        insert(connection, "INSERT IGNORE INTO visitor_dirty (site_id, visitor_id, marked_at)", 3, dirty);
        return rows.size();
    }

    // ------------------------------------------------------------------ JDBC helpers

    private static void insert(Connection connection, String insertInto, int columns, List<Object[]> rows) throws SQLException {
        String tuple = "(" + "?,".repeat(columns - 1) + "?)";
        for (int start = 0; start < rows.size(); start += ROWS_PER_INSERT) {
            int end = Math.min(rows.size(), start + ROWS_PER_INSERT);
            StringBuilder sql = new StringBuilder(insertInto).append(" VALUES ");
            for (int i = start; i < end; i++) {
                sql.append(i == start ? "" : ",").append(tuple);
            }
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                int index = 1;
                for (int i = start; i < end; i++) {
                    for (Object value : rows.get(i)) {
                        statement.setObject(index++, value);
                    }
                }
                statement.executeUpdate();
            }
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String variable(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT @@" + name)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static void report(String what, String format, Object... arguments) {
        System.out.printf("[segments-bench] %-40s %s%n", what, String.format(format, arguments));
    }
}

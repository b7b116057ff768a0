package io.segmentpress.brief;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.segmentpress.common.time.AppClock;

/**
 * Brief generation on a site of 100k visitors and 5M events (30 days), against one GROUP BY
 * visitor pass over the same events table as the baseline. Not a unit test: run it with
 * {@code bench/briefs.sh}, which points it at a dedicated database. The data is generated once
 * with JDBC multi-row inserts and reused by later runs.
 */
@QuarkusTest
class BriefGenerationBenchmark {

    static final String SITE_NAME = "brief-benchmark";
    static final int VISITORS = Integer.getInteger("bench.visitors", 100_000);
    static final int EVENTS = Integer.getInteger("bench.events", 5_000_000);
    static final int POSTS = 5_000;
    static final int CATEGORIES = 50;
    static final int TAGS_PER_CATEGORY = 8;
    static final int ROWS_PER_INSERT = 1_000;

    @Inject
    DataSource dataSource;

    @Inject
    BriefService briefs;

    @Inject
    AppClock clock;

    @Test
    void generateBriefsFor100kVisitorsAnd5MEvents() throws Exception {
        Instant now = clock.now();
        long siteId = existingSite();
        if (siteId == 0) {
            long started = System.nanoTime();
            siteId = generate(now);
            System.out.printf("data generated in %.1f s%n", (System.nanoTime() - started) / 1e9);
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE TABLE event, segment_membership, visitor_profile, content_item, content_term");
        }
        System.out.println("=== Brief generation benchmark ===");
        System.out.printf("data: %,d visitors, %,d events (%,d in the 30-day window), %,d posts, %,d segment memberships, %,d segments%n",
                count("SELECT COUNT(*) FROM visitor WHERE site_id = ?", siteId), count("SELECT COUNT(*) FROM event WHERE site_id = ?", siteId),
                count("SELECT COUNT(*) FROM event WHERE site_id = ? AND occurred_at >= NOW(3) - INTERVAL 30 DAY", siteId),
                count("SELECT COUNT(*) FROM content_item WHERE site_id = ?", siteId),
                count("SELECT COUNT(*) FROM segment_membership WHERE site_id = ?", siteId),
                count("SELECT COUNT(DISTINCT segment_key) FROM segment_membership WHERE site_id = ?", siteId));

        // Machines shared with other work drift; both sides run in the same process on the same data, one after the other.
        long start = System.nanoTime();
        long groups = baseline(siteId);
        double baselineSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("baseline: one GROUP BY visitor pass over event: %.2f s (%,d groups)%n", baselineSeconds, groups);
        double best = Double.MAX_VALUE;
        int proposed = 0;
        for (int run = 1; run <= 2; run++) {
            start = System.nanoTime();
            proposed = briefs.generate(siteId, null).size();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("run %d: brief generation %.2f s (%d briefs)%n", run, seconds, proposed);
            best = Math.min(best, seconds);
        }
        System.out.printf("RESULT baseline %.2f s | brief generation %.2f s | ratio %.2f | %d briefs%n", baselineSeconds, best,
                best / baselineSeconds, proposed);
    }

    /** The baseline: one aggregate pass over the site's events, grouped by visitor, every row read. */
    private long baseline(long siteId) throws Exception {
        long groups = 0;
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(
                "SELECT visitor_id, COUNT(*), SUM(engaged_seconds), MAX(occurred_at) FROM event WHERE site_id = ? GROUP BY visitor_id")) {
            statement.setLong(1, siteId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    groups++;
                }
            }
        }
        return groups;
    }

    private long existingSite() throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(
                "SELECT s.id FROM site s WHERE s.name = ? AND (SELECT COUNT(*) FROM event e WHERE e.site_id = s.id) = ? ORDER BY s.id DESC LIMIT 1")) {
            statement.setString(1, SITE_NAME);
            statement.setLong(2, EVENTS);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private long count(String sql, long siteId) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, siteId);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    // ----- data ---------------------------------------------------------------------------------

    private long generate(Instant now) throws Exception {
        Random random = new Random(7);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            long siteId = insertSite(connection, SITE_NAME, "America/New_York", now);
            connection.commit();

            // Catalog: 5,000 posts in 50 categories, 3 tags each from the category's 8, modified over the last three years.
            List<Object[]> items = new ArrayList<>();
            List<Object[]> terms = new ArrayList<>();
            for (int post = 1; post <= POSTS; post++) {
                int category = post % CATEGORIES;
                Instant modified = now.minus(Duration.ofDays(random.nextInt(3 * 365)));
                items.add(new Object[] { siteId, post, "Post " + post + " about category " + category, "https://bench.example.com/?p=" + post,
                        "post", "publish", Timestamp.from(modified), Timestamp.from(modified), "[]", "[]", 800 + random.nextInt(1500),
                        Timestamp.from(now) });
                terms.add(new Object[] { siteId, post, "category", "cat-" + category, "Category " + category });
                int first = random.nextInt(TAGS_PER_CATEGORY);
                for (int t = 0; t < 3; t++) {
                    int tag = category * TAGS_PER_CATEGORY + (first + t) % TAGS_PER_CATEGORY;
                    terms.add(new Object[] { siteId, post, "tag", "tag-" + tag, "Tag " + tag });
                }
            }
            insert(connection, "content_item (site_id, content_id, title, url, type, status, published_at, modified_at, categories, tags, word_count, synced_at)",
                    items);
            insert(connection, "content_term (site_id, content_id, taxonomy, slug, name)", terms);

            // Visitors with a class (5 % power, 25 % regular, 70 % occasional) and a favourite category.
            long firstVisitor;
            try (Statement statement = connection.createStatement()) {
                try (ResultSet rs = statement.executeQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM visitor")) {
                    rs.next();
                    firstVisitor = rs.getLong(1);
                }
            }
            int[] visitorClass = new int[VISITORS];
            int[] favourite = new int[VISITORS];
            List<Object[]> visitors = new ArrayList<>();
            List<Object[]> profiles = new ArrayList<>();
            List<Object[]> memberships = new ArrayList<>();
            String[] stages = { "stage:awareness", "stage:consideration", "stage:decision", "stage:retention", "stage:advocacy" };
            String[] purchase = { "vip", "loyal", "bargain-hunter", "one-time-buyer", "window-shopper", "lapsed-customer" };
            Timestamp since = Timestamp.from(now.minus(Duration.ofDays(20)));
            for (int v = 0; v < VISITORS; v++) {
                long visitorId = firstVisitor + v;
                double roll = random.nextDouble();
                visitorClass[v] = roll < 0.05 ? 0 : roll < 0.30 ? 1 : 2;
                favourite[v] = (int) Math.min(CATEGORIES - 1, Math.abs(random.nextGaussian() * 12));
                visitors.add(new Object[] { visitorId, siteId, Timestamp.from(now.minus(Duration.ofDays(60))) });
                String stage = stages[visitorClass[v] == 0 ? 3 + random.nextInt(2) : random.nextInt(4)];
                int orders = stage.equals("stage:retention") || stage.equals("stage:advocacy") ? 1 + random.nextInt(5) : 0;
                profiles.add(new Object[] { visitorId, siteId, Timestamp.from(now.minus(Duration.ofDays(60))), Timestamp.from(now), orders,
                        orders * (20 + random.nextInt(100)), stage, Timestamp.from(now) });
                memberships.add(new Object[] { siteId, stage, visitorId, since });
                memberships.add(new Object[] { siteId, visitorClass[v] == 0 ? "power-user" : visitorClass[v] == 1 ? "regular" : "occasional",
                        visitorId, since });
                if (orders > 0 && random.nextDouble() < 0.6) {
                    memberships.add(new Object[] { siteId, purchase[random.nextInt(purchase.length)], visitorId, since });
                }
                if (random.nextDouble() < 0.8) {
                    memberships.add(new Object[] { siteId, "interest:cat-" + favourite[v], visitorId, since });
                }
                if (random.nextDouble() < 0.03) {
                    memberships.add(new Object[] { siteId, "at-risk", visitorId, since });
                }
                if (visitors.size() == 20_000) {
                    flushVisitors(connection, visitors, profiles, memberships);
                }
            }
            flushVisitors(connection, visitors, profiles, memberships);

            // Events: 5M over the last 30 days in time order, spread over visitors by class weight.
            int[] weighted = new int[VISITORS * 4];
            int filled = 0;
            for (int v = 0; v < VISITORS && filled < weighted.length; v++) {
                int weight = visitorClass[v] == 0 ? 16 : visitorClass[v] == 1 ? 5 : 2;
                for (int w = 0; w < weight && filled < weighted.length; w++) {
                    weighted[filled++] = v;
                }
            }
            Instant start = now.minus(Duration.ofDays(30)).plusSeconds(60);
            double step = Duration.ofDays(30).minusMinutes(2).toMillis() / (double) EVENTS;
            List<Object[]> events = new ArrayList<>(ROWS_PER_INSERT);
            String columns = "event (site_id, visitor_id, message_id, type, name, occurred_at, received_at, post_id, product_id, revenue, coupon, "
                    + "engaged_seconds, scroll_depth, search_query, properties)";
            for (int i = 0; i < EVENTS; i++) {
                int v = weighted[random.nextInt(filled)];
                long visitorId = firstVisitor + v;
                Timestamp at = Timestamp.from(start.plusMillis((long) (i * step)));
                int post = random.nextDouble() < 0.7 ? favourite[v] + CATEGORIES * random.nextInt(POSTS / CATEGORIES) : 1 + random.nextInt(POSTS);
                if (post == 0) {
                    post = CATEGORIES;
                }
                double kind = random.nextDouble();
                Object[] row;
                if (kind < 0.40) {
                    row = new Object[] { siteId, visitorId, "m" + i, "page", "Post " + post, at, at, (long) post, null, null, null, null, null, null,
                            "{\"post_id\":" + post + "}" };
                } else if (kind < 0.75) {
                    int engaged = 10 + random.nextInt(visitorClass[v] == 0 ? 400 : 200);
                    int scroll = random.nextInt(101);
                    row = new Object[] { siteId, visitorId, "m" + i, "track", "Content Engaged", at, at, (long) post, null, null, null, engaged, scroll, null,
                            "{\"post_id\":" + post + ",\"engaged_seconds\":" + engaged + ",\"scroll_depth\":" + scroll + "}" };
                } else if (kind < 0.80) {
                    String query = random.nextDouble() < 0.6 ? "tag " + (favourite[v] * TAGS_PER_CATEGORY + random.nextInt(TAGS_PER_CATEGORY)) + " ideas"
                            : "missing topic " + random.nextInt(300);
                    row = new Object[] { siteId, visitorId, "m" + i, "track", "Products Searched", at, at, null, null, null, null, null, null, query,
                            "{\"query\":\"" + query + "\"}" };
                } else if (kind < 0.95) {
                    String product = "p" + random.nextInt(2000);
                    row = new Object[] { siteId, visitorId, "m" + i, "track", kind < 0.90 ? "Product Viewed" : "Product Added", at, at, null, product,
                            null, null, null, null, null, "{\"product_id\":\"" + product + "\"}" };
                } else if (kind < 0.97) {
                    row = new Object[] { siteId, visitorId, "m" + i, "track", "Order Completed", at, at, null, null, 20 + random.nextInt(200),
                            random.nextBoolean() ? "SAVE10" : null, null, null, null, "{\"order_id\":\"o" + i + "\"}" };
                } else {
                    row = new Object[] { siteId, visitorId, "m" + i, "track", "Signed In", at, at, null, null, null, null, null, null, null, "{}" };
                }
                events.add(row);
                if (events.size() == ROWS_PER_INSERT) {
                    insert(connection, columns, events);
                    events.clear();
                    if (i % 500_000 < ROWS_PER_INSERT) {
                        connection.commit();
                        System.out.printf("  %,d events%n", i + 1);
                    }
                }
            }
            insert(connection, columns, events);
            connection.commit();
            return siteId;
        }
    }

    private static void flushVisitors(Connection connection, List<Object[]> visitors, List<Object[]> profiles, List<Object[]> memberships)
            throws Exception {
        insert(connection, "visitor (id, site_id, created_at)", visitors);
        insert(connection, "visitor_profile (visitor_id, site_id, first_seen, last_seen, orders, revenue, stage, computed_at)", profiles);
        insert(connection, "segment_membership (site_id, segment_key, visitor_id, since)", memberships);
        visitors.clear();
        profiles.clear();
        memberships.clear();
        connection.commit();
    }

    /** A site row (no keys: the benchmark and the tests that use it call services directly); returns its id. */
    static long insertSite(Connection connection, String name, String timezone, Instant now) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO site (name, url, allowed_origins, timezone, currency, "
                + "created_at, updated_at) VALUES (?, 'https://bench.example.com', '[]', ?, 'USD', ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            statement.setString(1, name);
            statement.setString(2, timezone);
            statement.setTimestamp(3, Timestamp.from(now));
            statement.setTimestamp(4, Timestamp.from(now));
            statement.executeUpdate();
            try (ResultSet keys = statement.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Multi-row INSERTs of up to {@link #ROWS_PER_INSERT} rows, every value a bound parameter. */
    static void insert(Connection connection, String table, List<Object[]> rows) throws Exception {
        for (int from = 0; from < rows.size(); from += ROWS_PER_INSERT) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_INSERT));
            int width = chunk.get(0).length;
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" VALUES ");
            String tuple = "(" + "?,".repeat(width - 1) + "?)";
            for (int r = 0; r < chunk.size(); r++) {
                sql.append(r == 0 ? "" : ",").append(tuple);
            }
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                int p = 0;
                for (Object[] row : chunk) {
                    for (Object value : row) {
                        statement.setObject(++p, value);
                    }
                }
                statement.executeUpdate();
            }
        }
    }
}

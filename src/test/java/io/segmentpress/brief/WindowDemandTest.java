package io.segmentpress.brief;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.segmentpress.brief.SiteDemand.ReadStats;
import io.segmentpress.brief.SiteDemand.SearchStats;

/**
 * The one-pass demand loading against the same figures grouped in SQL ({@link SqlDemandReference}),
 * on a generated site big enough to be split over threads, with planted edge cases: reads outside
 * the window and on other sites, missing engaged time and scroll depth, searches answered exactly
 * at the limit, blank and padded queries, visitors without segments, reads or profile. Segment
 * sizes, revenue, stage mix and members of 14+ days are compared with the grouped join too. Times are
 * whole seconds: the MySQL driver sends no fractions of a second to a server that reports itself as
 * 5.5.5 (MariaDB does).
 */
@QuarkusTest
class WindowDemandTest {

    /** A fixed moment whose window spans a daylight saving change in the site's time zone (9 March 2025). */
    static final Instant NOW = Instant.parse("2025-03-20T12:00:00Z");
    static final String ZONE = "America/New_York";
    static final int VISITORS = 2_400;
    static final int EVENTS = 40_000;
    static final String[] SEGMENTS = { "power-user", "regular", "occasional", "stage:consideration", "interest:cat-1", "interest:cat-2",
            "bargain-hunter" };

    private static Long siteId;
    private static long plantedVisitor;

    @Inject
    DataSource dataSource;

    @Inject
    DemandQueries demandQueries;

    @Inject
    BriefsConfig config;

    @Test
    void onePassMatchesTheFiguresGroupedInSql() throws Exception {
        assertMatchesReference(null);
    }

    @Test
    void onePassMatchesTheFiguresGroupedInSqlForOneSegment() throws Exception {
        assertMatchesReference("interest:cat-1");
    }

    @Test
    void plantedSearchesAndReadsAreCountedAtTheLimits() throws Exception {
        SiteDemand demand = demandQueries.load(site(), NOW, null).orElseThrow();
        Map<Long, ReadStats> planted = demand.segmentReads().get("planted");
        // 2 reads of post 9001 in the window (one without engaged time or scroll depth), 1 before it; post 9002 read once at 75 %
        assertEquals(new ReadStats(2, 40, 0), planted.get(9001L));
        assertEquals(new ReadStats(1, 10, 1), planted.get(9002L));
        assertEquals(new ReadStats(2, 40, 0), demand.siteReads().get(9001L));
        Map<String, SearchStats> searches = new TreeMap<>();
        demand.segmentSearches().get("planted").forEach(s -> searches.put(s.query(), s));
        assertEquals(List.of("gluten free", "rye"), List.copyOf(searches.keySet()), "trimmed, lower case, blank queries left out");
        // "  Gluten Free " at t answered by the read at t + 30 min; "gluten free" at t + 31 min read nothing within 30 minutes
        assertEquals(new SearchStats("gluten free", 2, 1, 1, 1, Map.of(9001L, 1)), searches.get("gluten free"));
        // the read 30 min + 1 s after "rye" does not answer it
        assertEquals(new SearchStats("rye", 1, 1, 1, 1, Map.of()), searches.get("rye"));
        long[] activity = demand.segmentActivity().get("planted");
        assertEquals(3, java.util.Arrays.stream(activity).sum());
        assertNull(demand.segmentReads().get("no-events"), "a segment whose members read nothing has no reads");
    }

    private void assertMatchesReference(String onlySegment) throws Exception {
        long site = site();
        SiteDemand demand = demandQueries.load(site, NOW, onlySegment).orElseThrow();
        try (Connection connection = dataSource.getConnection()) {
            SqlDemandReference reference = new SqlDemandReference(connection, site, NOW.minus(config.window()), onlySegment);
            assertEquals(reference.siteReads(), demand.siteReads());
            Map<String, Map<Long, ReadStats>> segmentReads = reference.segmentReads();
            assertTrue(segmentReads.size() >= (onlySegment == null ? SEGMENTS.length : 1), "the data reaches every segment");
            assertEquals(segmentReads, demand.segmentReads());
            Map<String, List<SearchStats>> searches = reference.segmentSearches(config.searchAnsweredWithin());
            assertTrue(searches.values().stream().flatMap(List::stream).anyMatch(s -> s.unanswered() > 0 && !s.ledTo().isEmpty()),
                    "the data has answered and unanswered searches of the same query");
            assertEquals(searches, demand.segmentSearches());
            if (onlySegment != null) {
                assertEquals(demand.segments().size(), reference.segments(NOW).size(), "sizes of every segment, whatever the filter");
            }
            assertEquals(reference.segments(NOW), demand.segments().values().stream().map(s -> List.<Object>of(s.key(), s.size(), s.revenue(),
                    s.orders(), s.stageMix(), s.membersForTwoWeeks())).toList());
            Map<String, long[]> activity = reference.segmentActivity(ZoneId.of(ZONE));
            assertEquals(activity.keySet(), demand.segmentActivity().keySet());
            activity.forEach((segment, hours) -> assertArrayEquals(hours, demand.segmentActivity().get(segment), segment));
        }
    }

    /** The generated site, created once for the class (and for later runs against the same database). */
    private synchronized long site() throws Exception {
        if (siteId == null) {
            siteId = generate();
        }
        return siteId;
    }

    private long generate() throws Exception {
        Random random = new Random(11);
        try (Connection connection = dataSource.getConnection()) {
            long site = BriefGenerationBenchmark.insertSite(connection, "window-demand", ZONE, NOW);
            long otherSite = BriefGenerationBenchmark.insertSite(connection, "window-demand-other", ZONE, NOW);
            long firstVisitor;
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(
                    // past profiles and memberships too: the retention job deletes an earlier run's events (they are dated 2025)
                    "SELECT GREATEST(COALESCE((SELECT MAX(visitor_id) FROM event), 0), COALESCE((SELECT MAX(visitor_id) FROM visitor_profile), 0), "
                            + "COALESCE((SELECT MAX(visitor_id) FROM segment_membership), 0), 5000000000) + 1000")) {
                rs.next();
                firstVisitor = rs.getLong(1);
            }
            Timestamp since = Timestamp.from(NOW.minus(Duration.ofDays(20)));
            List<Object[]> memberships = new ArrayList<>();
            List<Object[]> profiles = new ArrayList<>();
            String[] stages = { "stage:awareness", "stage:consideration", "stage:decision", "stage:retention" };
            for (int v = 0; v < VISITORS; v++) {
                if (v % 10 == 9) {
                    continue; // in no segment
                }
                if (v % 10 != 8) { // the others have no profile yet
                    int orders = random.nextInt(4);
                    profiles.add(new Object[] { firstVisitor + v, site, random.nextDouble() < 0.1 ? null
                            : Timestamp.from(NOW.minus(Duration.ofHours(random.nextInt(40 * 24)))), orders,
                            java.math.BigDecimal.valueOf(orders * random.nextInt(20_000), 2), stages[random.nextInt(stages.length)],
                            Timestamp.from(NOW) });
                }
                for (String segment : SEGMENTS) {
                    if (random.nextDouble() < 0.45) {
                        memberships.add(new Object[] { site, segment, firstVisitor + v,
                                Timestamp.from(NOW.minus(Duration.ofHours(random.nextInt(30 * 24)))) });
                    }
                }
            }
            // members who never read or search, and a member of another site's segment
            memberships.add(new Object[] { site, "no-events", firstVisitor + VISITORS + 50, since });
            memberships.add(new Object[] { otherSite, "power-user", firstVisitor, since });

            List<Object[]> events = new ArrayList<>();
            Instant windowStart = NOW.minus(Duration.ofDays(30));
            String[] queries = { "gluten free", "Gluten Free ", "  sourdough", "rye bread", "Rye Bread", "   ", "café crème", "CAFÉ CRÈME" };
            for (int i = 0; i < EVENTS; i++) {
                long visitor = firstVisitor + random.nextInt(VISITORS);
                // distinct times (i is part of them), from 2 days before the window to 1 day after now
                Instant at = windowStart.minus(Duration.ofDays(2)).plusMillis(i * 70_000L + random.nextInt(60_000));
                double kind = random.nextDouble();
                long siteOfEvent = random.nextDouble() < 0.03 ? otherSite : site;
                if (kind < 0.55) {
                    Long post = random.nextDouble() < 0.02 ? null : (long) (1 + random.nextInt(80));
                    Integer engaged = random.nextDouble() < 0.05 ? null : random.nextInt(300);
                    Integer scroll = random.nextDouble() < 0.05 ? null : random.nextInt(101);
                    events.add(event(siteOfEvent, visitor, i, "Content Engaged", at, post, engaged, scroll, null));
                } else if (kind < 0.75) {
                    String query = random.nextDouble() < 0.03 ? null : queries[random.nextInt(queries.length)];
                    events.add(event(siteOfEvent, visitor, i, "Products Searched", at, null, null, null, query));
                    if (random.nextDouble() < 0.5) { // a read soon after, sometimes just past the answer window
                        Instant readAt = at.plusMillis(random.nextDouble() < 0.2 ? 30 * 60_000L + 1_000L * random.nextInt(2) : random.nextInt(40 * 60_000));
                        events.add(event(siteOfEvent, visitor, EVENTS + i, "Content Engaged", readAt,
                                (long) (1 + random.nextInt(80)), random.nextInt(200), random.nextInt(101), null));
                    }
                } else {
                    events.add(event(siteOfEvent, visitor, i, "Page", at, (long) (1 + random.nextInt(80)), null, null, null));
                }
            }
            plantedVisitor = firstVisitor + VISITORS + 100;
            memberships.add(new Object[] { site, "planted", plantedVisitor, since });
            Instant t = NOW.minus(Duration.ofDays(3));
            int m = 3 * EVENTS;
            events.add(event(site, plantedVisitor, m++, "Content Engaged", windowStart.minusSeconds(1), 9001L, 500, 100, null));
            events.add(event(site, plantedVisitor, m++, "Products Searched", t, null, null, null, "  Gluten Free "));
            events.add(event(site, plantedVisitor, m++, "Content Engaged", t.plus(Duration.ofMinutes(30)), 9001L, 40, 74, null));
            events.add(event(site, plantedVisitor, m++, "Products Searched", t.plus(Duration.ofMinutes(31)), null, null, null, "gluten free"));
            events.add(event(site, plantedVisitor, m++, "Products Searched", t.plus(Duration.ofHours(2)), null, null, null, "rye"));
            events.add(event(site, plantedVisitor, m++, "Content Engaged", t.plus(Duration.ofHours(2)).plus(Duration.ofMinutes(30)).plusSeconds(1),
                    9002L, 10, 75, null));
            events.add(event(site, plantedVisitor, m++, "Products Searched", t.plus(Duration.ofHours(4)), null, null, null, "   "));
            events.add(event(site, plantedVisitor, m, "Content Engaged", t.plus(Duration.ofHours(5)), 9001L, null, null, null));

            BriefGenerationBenchmark.insert(connection, "segment_membership (site_id, segment_key, visitor_id, since)", memberships);
            BriefGenerationBenchmark.insert(connection, "visitor_profile (visitor_id, site_id, first_seen, orders, revenue, stage, computed_at)",
                    profiles);
            BriefGenerationBenchmark.insert(connection, "event (site_id, visitor_id, message_id, type, name, occurred_at, received_at, post_id, "
                    + "engaged_seconds, scroll_depth, search_query)", events);
            return site;
        }
    }

    private static Object[] event(long site, long visitor, int number, String name, Instant at, Long post, Integer engagedSeconds,
            Integer scrollDepth, String query) {
        Timestamp time = Timestamp.from(at);
        return new Object[] { site, visitor, "w" + number, name.equals("Page") ? "page" : "track", name, time, time, post, engagedSeconds,
                scrollDepth, query };
    }
}

package io.segmentpress.brief;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.segmentpress.brief.BriefApi.Topic;
import io.segmentpress.brief.SiteDemand.Post;
import io.segmentpress.brief.SiteDemand.ReadStats;
import io.segmentpress.brief.SiteDemand.SearchStats;
import io.segmentpress.brief.SiteDemand.SegmentStats;

/** Gap finding on small hand-made demand, without a database. */
class GapFinderTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final Topic GARDEN = new Topic("category", "garden", "Garden");
    private static final Topic ROSES = new Topic("tag", "roses", "Roses");
    private static final Topic TOMATOES = new Topic("tag", "tomatoes", "Tomatoes");

    private final Map<Long, Post> posts = new LinkedHashMap<>();
    private final Map<String, Map<Long, ReadStats>> segmentReads = new HashMap<>();
    private final Map<Long, ReadStats> siteReads = new HashMap<>();
    private final Map<String, List<SearchStats>> searches = new HashMap<>();
    private final Map<String, SegmentStats> segments = new LinkedHashMap<>();

    private void post(long id, Topic tag, int daysOld) {
        Instant touched = NOW.minus(Duration.ofDays(daysOld));
        posts.put(id, new Post(id, "Post " + id, "https://x/" + id, "post", touched, touched, null, 1000, List.of(GARDEN, tag)));
    }

    private void reads(String segment, long post, int reads, long seconds) {
        segmentReads.computeIfAbsent(segment, k -> new HashMap<>()).put(post, new ReadStats(reads, seconds, reads / 2));
        siteReads.merge(post, new ReadStats(reads, seconds, reads / 2), ReadStats::plus);
    }

    private void segment(String key, int size) {
        segments.put(key, new SegmentStats(key, key + " members", size, BigDecimal.ZERO, 0, Map.of("stage:retention", size), 0));
    }

    private List<Gap> find() {
        SiteDemand demand = new SiteDemand(1, ZoneId.of("UTC"), "USD", NOW, NOW.minus(Duration.ofDays(30)), 200, BigDecimal.ZERO, segments,
                posts, segmentReads, siteReads, searches, Map.of());
        return new GapFinder(demand, GapFinder.Settings.defaults()).find();
    }

    @Test
    void overReadTopicWithLittleSupplyIsAGapAndACoveredOneIsNot() {
        segment("power-user", 20);
        segment("occasional", 150);
        post(1, ROSES, 30);
        for (long id = 2; id <= 5; id++) {
            post(id, TOMATOES, 30);
        }
        reads("power-user", 1, 40, 12_000);
        reads("power-user", 2, 40, 12_000);
        reads("occasional", 2, 60, 6_000);
        reads("occasional", 3, 60, 6_000);

        List<Gap> gaps = find();
        assertTrue(gaps.stream().anyMatch(g -> g.topicKey().equals("tag:roses") && g.segment().key().equals("power-user")), gaps.toString());
        assertTrue(gaps.stream().noneMatch(g -> g.topicKey().equals("tag:tomatoes")), "4 fresh posts cover tomatoes");
        assertTrue(gaps.stream().noneMatch(g -> g.topicKey().equals("category:garden")), "5 fresh posts cover the category");
    }

    @Test
    void unansweredSearchesWithoutAMatchingTopicBecomeASearchGap() {
        segment("bargain-hunter", 10);
        post(1, ROSES, 30);
        searches.put("bargain-hunter", List.of(
                new SearchStats("raised beds", 12, 6, 12, 6, Map.of()),
                new SearchStats("cheap raised beds", 4, 3, 4, 3, Map.of()),
                new SearchStats("pruning roses", 9, 5, 0, 0, Map.of(1L, 9))));

        List<Gap> gaps = find();
        Gap raisedBeds = gaps.stream().filter(g -> g.type() == Gap.Type.SEARCH).findFirst().orElseThrow();
        assertEquals("search:raised-bed", raisedBeds.topicKey());
        assertEquals(16, raisedBeds.searchCount());
        assertEquals(16, raisedBeds.unanswered());
        assertEquals(Angle.DEALS, raisedBeds.angle());
        assertTrue(gaps.stream().noneMatch(g -> g.topicKey().equals("tag:roses")), "answered searches on a topic are not a gap by themselves");
    }

    @Test
    void staleWellReadPieceBecomesARefreshForTheSegmentThatReadsItMost() {
        segment("power-user", 20);
        segment("occasional", 150);
        post(1, ROSES, 800);
        post(2, TOMATOES, 10);
        reads("power-user", 1, 60, 30_000);
        reads("occasional", 1, 10, 1_000);
        reads("occasional", 2, 30, 3_000);

        Gap refresh = find().stream().filter(g -> g.type() == Gap.Type.REFRESH).findFirst().orElseThrow();
        assertEquals("refresh:1", refresh.topicKey());
        assertEquals("power-user", refresh.segment().key());
        assertEquals(1L, refresh.refreshOf().id());
    }

    @Test
    void selectionSkipsBlockedGapsAndCapsPerSegment() {
        segment("power-user", 20);
        for (long id = 1; id <= 4; id++) {
            Topic tag = new Topic("tag", "t" + id, "T" + id);
            posts.put(id, new Post(id, "Post " + id, "u", "post", NOW, NOW, null, 900, List.of(tag)));
            posts.put(id + 100, new Post(id + 100, "Other " + id, "u", "post", NOW, NOW, null, 900, List.of(new Topic("tag", "o" + id, "O" + id))));
            reads("power-user", id, 20 + (int) id, 5_000 * id);
            siteReads.merge(id + 100, new ReadStats(500, 200_000, 100), ReadStats::plus);
        }
        List<Gap> ranked = find();
        assertEquals(4, ranked.size(), ranked.toString());
        List<Gap> selected = GapFinder.select(ranked, g -> g.topicKey().equals(ranked.get(0).topicKey()), 0, 2, 10);
        assertEquals(2, selected.size());
        assertTrue(selected.stream().noneMatch(g -> g.topicKey().equals(ranked.get(0).topicKey())));
    }
}

package io.segmentpress.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.segmentpress.recommend.CatalogItem.Term;

class RankerTest {

    private static final long NOW = 1_780_000_000_000L;
    private static final long DAY = 86_400_000L;

    private static CatalogItem post(long id, String category, long ageDays) {
        return new CatalogItem(id, "Post " + id, "https://example.test/" + id, "post", NOW - ageDays * DAY,
                List.of(new Term(category, category)), List.of(), null, 800, false, null);
    }

    private static CatalogItem product(long id, boolean onSale) {
        return new CatalogItem(id, "Product " + id, "https://example.test/p" + id, "product", NOW - 20 * DAY,
                List.of(new Term("shop", "Shop")), List.of(), null, 100, onSale, java.math.BigDecimal.TEN);
    }

    private static SiteModel model(List<CatalogItem> items, ReadLog reads) {
        return new SiteModel(items, BehaviorStats.build(reads, Map.of(), NOW, 20, 20, 200), NOW, 14 * DAY);
    }

    private static List<Long> ids(List<Recommended> list) {
        return list.stream().map(r -> r.item().contentId()).toList();
    }

    private static List<CatalogItem> catalog() {
        List<CatalogItem> items = new ArrayList<>();
        for (long id = 1; id <= 10; id++) {
            items.add(post(id, "recipes", id));
        }
        for (long id = 11; id <= 20; id++) {
            items.add(post(id, "garden", id));
        }
        items.add(product(30, true));
        items.add(product(31, false));
        return items;
    }

    @Test
    void neverReturnsReadContextExcludedOrOtherTypes() {
        SiteModel model = model(catalog(), new ReadLog());
        VisitorContext visitor = new VisitorContext(7L, List.of("stage:awareness"), "stage:awareness", Map.of(), Map.of(1L, NOW - DAY, 2L, NOW));
        List<Long> ids = ids(Ranker.rank(model, visitor, new RankRequest(20, 3L, "post", Set.of(4L, 11L)), NOW, RankingWeights.defaults()));
        assertEquals(15, ids.size(), ids.toString());
        for (long never : new long[] { 1, 2, 3, 4, 11, 30, 31 }) {
            assertFalse(ids.contains(never), never + " in " + ids);
        }
    }

    @Test
    void diversifiesAcrossCategoriesInsteadOfFiveFromOne() {
        SiteModel model = model(catalog(), new ReadLog());
        VisitorContext recipeLover = new VisitorContext(7L, List.of(), null, Map.of("recipes", 1.0), Map.of());
        List<Recommended> list = Ranker.rank(model, recipeLover, new RankRequest(5, null, "post", Set.of()), NOW, RankingWeights.defaults());
        long recipes = list.stream().filter(r -> r.item().categories().get(0).slug().equals("recipes")).count();
        assertTrue(recipes >= 1 && recipes < 5, ids(list).toString());
        RankingWeights noDiversity = new RankingWeights(0.3, 0.25, 0.3, 0.2, 0.3, 0.1, 0.1, 0, 14 * DAY);
        List<Recommended> undiversified = Ranker.rank(model, recipeLover, new RankRequest(5, null, "post", Set.of()), NOW, noDiversity);
        assertTrue(undiversified.stream().allMatch(r -> r.item().categories().get(0).slug().equals("recipes")), ids(undiversified).toString());
    }

    @Test
    void coReadingLeadsAndSaysWhichReadItFollows() {
        ReadLog reads = new ReadLog();
        for (long visitor = 1; visitor <= 10; visitor++) {
            reads.add(visitor, 12, NOW - 2 * DAY);
            reads.add(visitor, 5, NOW - DAY);
        }
        SiteModel model = model(catalog(), reads);
        VisitorContext visitor = new VisitorContext(99L, List.of(), null, Map.of(), Map.of(12L, NOW - 3600_000));
        List<Recommended> list = Ranker.rank(model, visitor, new RankRequest(3, null, null, Set.of()), NOW, RankingWeights.defaults());
        assertEquals(5L, list.get(0).item().contentId());
        assertEquals("Readers of \u201cPost 12\u201d also read this", list.get(0).reason());
    }

    @Test
    void controlListIsMostReadFirstWithTheSameExclusions() {
        ReadLog reads = new ReadLog();
        for (long visitor = 1; visitor <= 5; visitor++) {
            reads.add(visitor, 15, NOW - DAY);
            if (visitor <= 3) {
                reads.add(visitor, 16, NOW - DAY);
            }
        }
        SiteModel model = model(catalog(), reads);
        VisitorContext visitor = new VisitorContext(99L, List.of(), null, Map.of(), Map.of(15L, NOW));
        List<Recommended> list = Ranker.mostPopular(model, visitor, new RankRequest(3, null, null, Set.of()));
        assertEquals(16L, list.get(0).item().contentId());
        assertEquals("Popular on this site", list.get(0).reason());
        assertFalse(ids(list).contains(15L));
    }

    @Test
    void bargainHuntersSeeWhatIsOnSale() {
        SiteModel model = model(catalog(), new ReadLog());
        VisitorContext hunter = new VisitorContext(7L, List.of("bargain-hunter", "stage:retention"), "stage:retention", Map.of(), Map.of());
        Recommended first = Ranker.rank(model, hunter, new RankRequest(5, null, null, Set.of()), NOW, RankingWeights.defaults()).get(0);
        assertEquals(30L, first.item().contentId());
        assertEquals("On sale now", first.reason());
    }

    @Test
    void emptyCatalogGivesAnEmptyListAndASmallOneIsUsedUp() {
        VisitorContext stranger = VisitorContext.unknown();
        assertTrue(Ranker.rank(model(List.of(), new ReadLog()), stranger, new RankRequest(5, null, null, Set.of()), NOW, RankingWeights.defaults()).isEmpty());
        SiteModel two = model(List.of(post(1, "a", 1), post(2, "a", 400)), new ReadLog());
        assertEquals(List.of(1L, 2L), ids(Ranker.rank(two, stranger, new RankRequest(5, null, null, Set.of()), NOW, RankingWeights.defaults())));
    }

    @Test
    void variantAssignmentIsStableAndFollowsTheShare() {
        ExperimentSettings twenty = new ExperimentSettings(20);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            String variant = twenty.variantFor(42, "anon-" + i);
            assertEquals(variant, twenty.variantFor(42, "anon-" + i));
            counts.merge(variant, 1, Integer::sum);
        }
        assertTrue(Math.abs(counts.get("control") - 2000) < 250, counts.toString());
        assertEquals("ranked", new ExperimentSettings(0).variantFor(42, "anon-1"));
        assertEquals("control", new ExperimentSettings(100).variantFor(42, "anon-1"));
    }

    @Test
    void readsProfileInterestsInEitherStoredShape() {
        assertEquals(Map.of("recipes", 0.6, "garden", 0.4),
                VisitorReader.parseInterests("[{\"category\":\"recipes\",\"share\":0.6,\"reads\":3},{\"category\":\"garden\",\"share\":0.4,\"reads\":2}]"));
        assertEquals(Map.of("recipes", 2.0), VisitorReader.parseInterests("{\"recipes\":2,\"bad\":\"x\"}"));
        assertEquals(Map.of(), VisitorReader.parseInterests("not json"));
        assertEquals(Map.of(), VisitorReader.parseInterests(null));
    }

    @Test
    void readsTheEnginesInterestsTextAsAJsonParserDoes() {
        java.util.Random random = new java.util.Random(11);
        String[] names = { "recipes", "garden-tools", "caf\u00e9", "say \\\"hi\\\"", "back\\\\slash", "tab\\u0009", "a", "x-1" };
        int fast = 0;
        for (int round = 0; round < 3_000; round++) {
            StringBuilder json = new StringBuilder("[");
            int entries = random.nextInt(6);
            for (int e = 0; e < entries; e++) {
                String share = random.nextInt(10) == 0 ? "0" : random.nextInt(20) == 0 ? "1" : "0." + (1 + random.nextInt(999));
                json.append(e == 0 ? "" : ",").append("{\"category\":\"").append(names[random.nextInt(names.length)])
                        .append("\",\"share\":").append(share).append(",\"reads\":").append(random.nextInt(50)).append('}');
            }
            String text = json.append(']').toString();
            switch (random.nextInt(12)) { // and some text that is not quite what the engine writes
                case 0 -> text = text.replace(",\"reads\"", ", \"reads\"");
                case 1 -> text = text.replace("]", ",]");
                case 2 -> text = text.replace("\"share\":0.", "\"share\":-0.");
                case 3 -> text = text.replace("\"share\":0.", "\"share\":1e-");
                default -> {
                }
            }
            Map<String, Double> expected = VisitorReader.parseAnyJson(text);
            assertEquals(expected, VisitorReader.parseInterests(text), text);
            if (VisitorReader.parseAsWritten(text) != null) {
                fast++;
            }
        }
        assertTrue(fast > 500, "the direct path is taken for the plain texts: " + fast);
    }

    @Test
    void readsTheConcatenatedReadsKeepingTheLatestTimePerPost() {
        Map<Long, Long> reads = new HashMap<>();
        io.segmentpress.segment.ReadHistory.parse("12:1780000000000,7:1780000001234,12:1780000009999", reads);
        assertEquals(Map.of(12L, 1_780_000_009_999L, 7L, 1_780_000_001_234L), reads);
        Map<Long, Long> one = new HashMap<>();
        io.segmentpress.segment.ReadHistory.parse("5:0", one);
        assertEquals(Map.of(5L, 0L), one);
    }

    @Test
    void selectsTheLargestKeysForTheRerankPool() {
        java.util.Random random = new java.util.Random(3);
        for (int length : new int[] { 1, 2, 5, 100, 101, 257, 1000 }) {
            for (int count : new int[] { 1, 5, 100 }) {
                long[] keys = random.longs(length).distinct().toArray();
                long[] sorted = keys.clone();
                java.util.Arrays.sort(sorted);
                int n = Math.min(count, keys.length);
                Ranker.selectLargest(keys, keys.length, n);
                long[] top = java.util.Arrays.copyOfRange(keys, keys.length - n, keys.length);
                java.util.Arrays.sort(top);
                assertTrue(java.util.Arrays.equals(java.util.Arrays.copyOfRange(sorted, sorted.length - n, sorted.length), top),
                        length + "/" + count);
            }
        }
    }

    @Test
    void readsExperimentSettingsFromTheSiteSettingsSection() {
        assertEquals(25, ExperimentSettings.fromSiteSettings("{\"segments\":{},\"recommend\":{\"controlPercent\":25}}").controlPercent());
        assertEquals(0, ExperimentSettings.fromSiteSettings("{\"segments\":{}}").controlPercent());
        assertEquals(0, ExperimentSettings.fromSiteSettings("garbage").controlPercent());
        assertEquals(100, ExperimentSettings.fromSiteSettings("{\"recommend\":{\"controlPercent\":500}}").controlPercent());
    }
}

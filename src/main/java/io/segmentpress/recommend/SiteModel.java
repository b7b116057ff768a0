package io.segmentpress.recommend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.segmentpress.recommend.BehaviorStats.Related;

/**
 * One site's in-memory recommendation model: its published catalog, the behavior statistics
 * and the candidate lists derived from both, all laid out as arrays over a dense item index so
 * that ranking a request touches no hash map per candidate. Immutable; a replica swaps in a new
 * one when the catalog changes or the statistics are rebuilt, so a request always sees one
 * consistent snapshot. Everything here can be rebuilt from the database.
 */
public final class SiteModel {

    /** A segment's characteristic items (dense indices), best first, with weights 0–1. */
    record SegmentItems(int[] items, double[] weights) {
        static final SegmentItems NONE = new SegmentItems(new int[0], new double[0]);
    }

    static final byte TYPE_POST = 0;
    static final byte TYPE_PAGE = 1;
    static final byte TYPE_PRODUCT = 2;
    static final byte TYPE_OTHER = 3;

    static final int FRESHNESS_SLOT = 0;
    static final int POPULARITY_SLOT = 1;
    static final int FIT_SLOT = 2;
    static final int SCORE_STRIDE = FIT_SLOT + AudienceFit.POOL_KEYS.size();

    private static final int TOPIC_LIST_SIZE = 100;
    private static final int POOL_SIZE = 100;
    private static final int POPULAR_SIZE = 300;
    private static final int[] NO_ITEMS = new int[0];
    private static final double[] NO_WEIGHTS = new double[0];

    private final CatalogItem[] items;
    private final Map<Long, Integer> indexById;
    private final byte[] typeCodes;
    private final Map<String, Integer> topicIndex = new HashMap<>();
    private final List<String> topicNames = new ArrayList<>();
    /**
     * Every item's topics in one array: the categories of item {@code i} at
     * {@code [topicBounds[2i], topicBounds[2i+1])}, its tags at {@code [topicBounds[2i+1], topicBounds[2i+2])}.
     */
    private final int[] topicData;
    private final int[] topicBounds;
    /**
     * Per item, next to each other, the values ranking reads for every candidate: freshness (as of
     * when the model was built; it moves little between rebuilds), popularity and the fit score of every {@link AudienceFit#POOL_KEYS} key ({@link #SCORE_STRIDE}
     * values from {@code i * SCORE_STRIDE}). Scoring a candidate then reads a cache line or two
     * instead of following a pointer per value.
     */
    private final double[] itemScores;
    private final BehaviorStats stats;
    private final int[][] coReadItems;
    private final double[][] coReadWeights;
    private final Map<String, SegmentItems> segmentItems = new HashMap<>();
    private final int[] popular;
    private final int[] freshest;
    private final int[][] topicTop;
    private final AudienceFit.Fit[][] fits;
    private final int[][] fitPools;
    private final long builtAtMillis;

    public SiteModel(Collection<CatalogItem> catalog, BehaviorStats stats, long nowMillis, long freshnessHalfLifeMillis) {
        this.stats = stats;
        this.builtAtMillis = nowMillis;
        int n = catalog.size();
        this.items = catalog.toArray(CatalogItem[]::new);
        Arrays.sort(items, Comparator.comparingLong(CatalogItem::contentId));
        this.indexById = new HashMap<>(n * 2);
        this.typeCodes = new byte[n];
        int[][] categoryTopics = new int[n][];
        int[][] tagTopics = new int[n][];
        double[] popularity = new double[n];
        double[] freshness = new double[n];
        List<List<Integer>> topicMembers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CatalogItem item = items[i];
            indexById.put(item.contentId(), i);
            typeCodes[i] = typeCode(item.type());
            categoryTopics[i] = item.categories().stream()
                    .mapToInt(term -> topic(CatalogItem.categoryKey(term.slug()), term.name(), topicMembers)).distinct().toArray();
            tagTopics[i] = item.tags().stream().mapToInt(term -> topic(CatalogItem.tagKey(term.slug()), term.name(), topicMembers))
                    .distinct().toArray();
            for (int topic : categoryTopics[i]) {
                topicMembers.get(topic).add(i);
            }
            for (int topic : tagTopics[i]) {
                topicMembers.get(topic).add(i);
            }
            popularity[i] = stats.popularity(item.contentId());
            freshness[i] = Ranker.freshness(item, nowMillis, freshnessHalfLifeMillis);
        }

        this.topicBounds = new int[2 * n + 1];
        int topicCount = 0;
        for (int i = 0; i < n; i++) {
            topicCount += categoryTopics[i].length + tagTopics[i].length;
        }
        this.topicData = new int[topicCount];
        int at = 0;
        for (int i = 0; i < n; i++) {
            topicBounds[2 * i] = at;
            System.arraycopy(categoryTopics[i], 0, topicData, at, categoryTopics[i].length);
            at += categoryTopics[i].length;
            topicBounds[2 * i + 1] = at;
            System.arraycopy(tagTopics[i], 0, topicData, at, tagTopics[i].length);
            at += tagTopics[i].length;
        }
        topicBounds[2 * n] = at;

        double[] standing = new double[n];
        for (int i = 0; i < n; i++) {
            standing[i] = 0.7 * popularity[i] + 0.3 * freshness[i];
        }
        this.popular = top(n, POPULAR_SIZE, (a, b) -> {
            int byPopularity = Double.compare(popularity[b], popularity[a]);
            return byPopularity != 0 ? byPopularity : Long.compare(items[b].publishedAtMillis(), items[a].publishedAtMillis());
        });
        this.freshest = top(n, POOL_SIZE, (a, b) -> Long.compare(items[b].publishedAtMillis(), items[a].publishedAtMillis()));
        Comparator<Integer> byStanding = (a, b) -> {
            int compared = Double.compare(standing[b], standing[a]);
            return compared != 0 ? compared : Long.compare(items[b].publishedAtMillis(), items[a].publishedAtMillis());
        };
        this.topicTop = new int[topicMembers.size()][];
        for (int topic = 0; topic < topicMembers.size(); topic++) {
            topicTop[topic] = topicMembers.get(topic).stream().sorted(byStanding).limit(TOPIC_LIST_SIZE).mapToInt(Integer::intValue)
                    .toArray();
        }

        this.coReadItems = new int[n][];
        this.coReadWeights = new double[n][];
        for (int i = 0; i < n; i++) {
            List<Related> related = stats.coRead(items[i].contentId());
            int[] neighbours = new int[related.size()];
            double[] weights = new double[related.size()];
            int kept = 0;
            for (Related r : related) {
                Integer index = indexById.get(r.contentId());
                if (index != null) {
                    neighbours[kept] = index;
                    weights[kept++] = r.weight();
                }
            }
            coReadItems[i] = kept == 0 ? NO_ITEMS : Arrays.copyOf(neighbours, kept);
            coReadWeights[i] = kept == 0 ? NO_WEIGHTS : Arrays.copyOf(weights, kept);
        }
        stats.segmentItems().forEach((segment, related) -> {
            int[] members = new int[related.size()];
            double[] weights = new double[related.size()];
            int kept = 0;
            for (Related r : related) {
                Integer index = indexById.get(r.contentId());
                if (index != null) {
                    members[kept] = index;
                    weights[kept++] = r.weight();
                }
            }
            segmentItems.put(segment, new SegmentItems(Arrays.copyOf(members, kept), Arrays.copyOf(weights, kept)));
        });

        List<String> poolKeys = AudienceFit.POOL_KEYS;
        this.fits = new AudienceFit.Fit[poolKeys.size()][n];
        this.fitPools = new int[poolKeys.size()][];
        this.itemScores = new double[n * SCORE_STRIDE];
        for (int i = 0; i < n; i++) {
            itemScores[i * SCORE_STRIDE + FRESHNESS_SLOT] = freshness[i];
            itemScores[i * SCORE_STRIDE + POPULARITY_SLOT] = popularity[i];
        }
        for (int k = 0; k < poolKeys.size(); k++) {
            AudienceFit.Fit[] row = fits[k];
            for (int i = 0; i < n; i++) {
                row[i] = AudienceFit.forKey(items[i], poolKeys.get(k));
                itemScores[i * SCORE_STRIDE + FIT_SLOT + k] = row[i].score();
            }
            fitPools[k] = java.util.stream.IntStream.range(0, n).filter(i -> row[i].score() > 0).boxed()
                    .sorted((a, b) -> {
                        int compared = Double.compare(row[b].score(), row[a].score());
                        return compared != 0 ? compared : byStanding.compare(a, b);
                    }).limit(POOL_SIZE).mapToInt(Integer::intValue).toArray();
        }
    }

    private int topic(String key, String name, List<List<Integer>> topicMembers) {
        Integer existing = topicIndex.get(key);
        if (existing != null) {
            return existing;
        }
        topicIndex.put(key, topicNames.size());
        topicNames.add(name == null || name.isBlank() ? key.substring(2) : name);
        topicMembers.add(new ArrayList<>());
        return topicNames.size() - 1;
    }

    private static int[] top(int n, int limit, Comparator<Integer> order) {
        return java.util.stream.IntStream.range(0, n).boxed().sorted(order).limit(limit).mapToInt(Integer::intValue).toArray();
    }

    static byte typeCode(String type) {
        if (type == null) {
            return TYPE_OTHER;
        }
        return switch (type) {
            case "post" -> TYPE_POST;
            case "page" -> TYPE_PAGE;
            case "product" -> TYPE_PRODUCT;
            default -> TYPE_OTHER;
        };
    }

    /** The same catalog with freshly built statistics. */
    SiteModel withStats(BehaviorStats newStats, long nowMillis, long freshnessHalfLifeMillis) {
        return new SiteModel(Arrays.asList(items), newStats, nowMillis, freshnessHalfLifeMillis);
    }

    /** A new catalog with the statistics already known. */
    SiteModel withCatalog(Collection<CatalogItem> catalog, long nowMillis, long freshnessHalfLifeMillis) {
        return new SiteModel(catalog, stats, nowMillis, freshnessHalfLifeMillis);
    }

    /** A published item, or null when the id is not (or no longer) published. */
    CatalogItem item(long contentId) {
        Integer index = indexById.get(contentId);
        return index == null ? null : items[index];
    }

    /** Dense index of a published item, or -1. */
    int indexOf(long contentId) {
        Integer index = indexById.get(contentId);
        return index == null ? -1 : index;
    }

    CatalogItem itemAt(int index) {
        return items[index];
    }

    List<CatalogItem> items() {
        return Arrays.asList(items);
    }

    int size() {
        return items.length;
    }

    byte typeCode(int index) {
        return typeCodes[index];
    }

    BehaviorStats stats() {
        return stats;
    }

    double popularity(int index) {
        return itemScores[index * SCORE_STRIDE + POPULARITY_SLOT];
    }

    /** See {@link #itemScores}; read-only. */
    double[] itemScores() {
        return itemScores;
    }

    /** See {@link #topicData}; read-only. */
    int[] topicData() {
        return topicData;
    }

    /** Where the item's category topics begin in {@link #topicData()}. */
    int categoriesFrom(int index) {
        return topicBounds[2 * index];
    }

    /** Where the item's tag topics begin in {@link #topicData()} (and its categories end). */
    int tagsFrom(int index) {
        return topicBounds[2 * index + 1];
    }

    /** Where the item's tag topics end in {@link #topicData()}. */
    int topicsEnd(int index) {
        return topicBounds[2 * index + 2];
    }

    /** The item's category topics (a copy). */
    int[] categoryTopics(int index) {
        return Arrays.copyOfRange(topicData, categoriesFrom(index), tagsFrom(index));
    }

    int[] coReadItems(int index) {
        return coReadItems[index];
    }

    double[] coReadWeights(int index) {
        return coReadWeights[index];
    }

    SegmentItems segmentItems(String segmentKey) {
        return segmentItems.getOrDefault(segmentKey, SegmentItems.NONE);
    }

    /** Most read first (dense indices). */
    int[] popular() {
        return popular;
    }

    /** Newest first (dense indices). */
    int[] freshest() {
        return freshest;
    }

    /** Topic id of a key ({@code c:slug} or {@code t:slug}), or -1. */
    int topicId(String topicKey) {
        Integer id = topicIndex.get(topicKey);
        return id == null ? -1 : id;
    }

    int topicCount() {
        return topicNames.size();
    }

    String topicName(int topicId) {
        return topicNames.get(topicId);
    }

    /** Display name of a topic key, falling back to its slug. */
    String topicName(String topicKey) {
        int id = topicId(topicKey);
        return id >= 0 ? topicNames.get(id) : topicKey.substring(2);
    }

    boolean hasTopic(String topicKey) {
        return topicIndex.containsKey(topicKey);
    }

    /** The best items of a topic, popular and fresh first (dense indices). */
    int[] topicTop(int topicId) {
        return topicTop[topicId];
    }

    /** Index of a stage or segment key in {@link AudienceFit#POOL_KEYS}, or -1. */
    static int poolKeyIndex(String key) {
        return key == null ? -1 : AudienceFit.POOL_KEYS.indexOf(key);
    }

    AudienceFit.Fit fit(int poolKeyIndex, int index) {
        return fits[poolKeyIndex][index];
    }

    int[] fitPool(int poolKeyIndex) {
        return fitPools[poolKeyIndex];
    }

    /** Share of topics two items have in common (Jaccard over categories, or tags when neither has a category). */
    double topicOverlap(int a, int b) {
        int aFrom = topicBounds[2 * a];
        int aTo = topicBounds[2 * a + 1];
        int bFrom = topicBounds[2 * b];
        int bTo = topicBounds[2 * b + 1];
        if (aFrom == aTo && bFrom == bTo) {
            aFrom = aTo;
            aTo = topicBounds[2 * a + 2];
            bFrom = bTo;
            bTo = topicBounds[2 * b + 2];
        }
        if (aFrom == aTo || bFrom == bTo) {
            return 0;
        }
        int common = 0;
        for (int x = aFrom; x < aTo; x++) {
            for (int y = bFrom; y < bTo; y++) {
                if (topicData[x] == topicData[y]) {
                    common++;
                    break;
                }
            }
        }
        return (double) common / ((aTo - aFrom) + (bTo - bFrom) - common);
    }

    long builtAtMillis() {
        return builtAtMillis;
    }
}

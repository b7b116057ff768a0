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
    private final int[][] categoryTopics;
    private final int[][] tagTopics;
    private final BehaviorStats stats;
    private final double[] popularity;
    private final double[] freshness;
    private final int[][] coReadItems;
    private final double[][] coReadWeights;
    private final Map<String, SegmentItems> segmentItems = new HashMap<>();
    private final int[] popular;
    private final int[] freshest;
    private final int[][] topicTop;
    private final AudienceFit.Fit[][] fits;
    /** The scores of {@link #fits}, flat, so that scoring a candidate does not follow a pointer per key. */
    private final double[][] fitScores;
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
        this.categoryTopics = new int[n][];
        this.tagTopics = new int[n][];
        this.popularity = new double[n];
        this.freshness = new double[n];
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
        this.fitScores = new double[poolKeys.size()][n];
        this.fitPools = new int[poolKeys.size()][];
        for (int k = 0; k < poolKeys.size(); k++) {
            AudienceFit.Fit[] row = fits[k];
            for (int i = 0; i < n; i++) {
                row[i] = AudienceFit.forKey(items[i], poolKeys.get(k));
                fitScores[k][i] = row[i].score();
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
        return popularity[index];
    }

    /** Freshness as of when the model was built (it moves little between rebuilds). */
    double freshness(int index) {
        return freshness[index];
    }

    int[] categoryTopics(int index) {
        return categoryTopics[index];
    }

    int[] tagTopics(int index) {
        return tagTopics[index];
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

    double fitScore(int poolKeyIndex, int index) {
        return fitScores[poolKeyIndex][index];
    }

    int[] fitPool(int poolKeyIndex) {
        return fitPools[poolKeyIndex];
    }

    /** Share of topics two items have in common (Jaccard over categories, or tags when neither has a category). */
    double topicOverlap(int a, int b) {
        int[] mine = categoryTopics[a];
        int[] theirs = categoryTopics[b];
        if (mine.length == 0 && theirs.length == 0) {
            mine = tagTopics[a];
            theirs = tagTopics[b];
        }
        if (mine.length == 0 || theirs.length == 0) {
            return 0;
        }
        int common = 0;
        for (int x : mine) {
            for (int y : theirs) {
                if (x == y) {
                    common++;
                    break;
                }
            }
        }
        return (double) common / (mine.length + theirs.length - common);
    }

    long builtAtMillis() {
        return builtAtMillis;
    }
}

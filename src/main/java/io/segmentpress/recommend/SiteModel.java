package io.segmentpress.recommend;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One site's in-memory recommendation model: its published catalog, the behavior statistics
 * and candidate lists derived from both. Immutable; a replica swaps in a new one when the
 * catalog changes or the statistics are rebuilt, so a request always sees one consistent
 * snapshot. Everything here can be rebuilt from the database.
 */
public final class SiteModel {

    private static final int TOPIC_LIST_SIZE = 100;
    private static final int POOL_SIZE = 100;
    private static final int POPULAR_SIZE = 300;

    private final Map<Long, CatalogItem> items;
    private final Map<String, String> topicNames;
    private final BehaviorStats stats;
    private final List<CatalogItem> popular;
    private final List<CatalogItem> freshest;
    private final Map<String, List<CatalogItem>> byTopic;
    private final Map<String, List<CatalogItem>> fitPools;
    private final long builtAtMillis;

    public SiteModel(Collection<CatalogItem> catalog, BehaviorStats stats, long nowMillis, long freshnessHalfLifeMillis) {
        this.stats = stats;
        this.builtAtMillis = nowMillis;
        this.items = new HashMap<>(catalog.size() * 2);
        this.topicNames = new HashMap<>();
        for (CatalogItem item : catalog) {
            items.put(item.contentId(), item);
            item.categories().forEach(term -> topicNames.putIfAbsent(CatalogItem.categoryKey(term.slug()), term.name()));
            item.tags().forEach(term -> topicNames.putIfAbsent(CatalogItem.tagKey(term.slug()), term.name()));
        }

        Map<Long, Double> standing = new HashMap<>(items.size() * 2);
        for (CatalogItem item : catalog) {
            double freshness = Ranker.freshness(item, nowMillis, freshnessHalfLifeMillis);
            standing.put(item.contentId(), 0.7 * stats.popularity(item.contentId()) + 0.3 * freshness);
        }
        Comparator<CatalogItem> byStanding = Comparator.comparingDouble((CatalogItem item) -> standing.get(item.contentId())).reversed()
                .thenComparing(Comparator.comparingLong(CatalogItem::publishedAtMillis).reversed());

        this.popular = catalog.stream()
                .sorted(Comparator.comparingDouble((CatalogItem item) -> stats.popularity(item.contentId())).reversed()
                        .thenComparing(Comparator.comparingLong(CatalogItem::publishedAtMillis).reversed()))
                .limit(POPULAR_SIZE).toList();
        this.freshest = catalog.stream().sorted(Comparator.comparingLong(CatalogItem::publishedAtMillis).reversed()).limit(POOL_SIZE)
                .toList();

        Map<String, List<CatalogItem>> topics = new HashMap<>();
        for (CatalogItem item : catalog) {
            for (String key : item.topicKeys()) {
                topics.computeIfAbsent(key, k -> new ArrayList<>()).add(item);
            }
        }
        this.byTopic = new HashMap<>();
        topics.forEach((key, list) -> byTopic.put(key, list.stream().sorted(byStanding).limit(TOPIC_LIST_SIZE).toList()));

        this.fitPools = new HashMap<>();
        for (String key : AudienceFit.POOL_KEYS) {
            List<CatalogItem> pool = catalog.stream().filter(item -> AudienceFit.forKey(item, key).score() > 0)
                    .sorted(Comparator.comparingDouble((CatalogItem item) -> AudienceFit.forKey(item, key).score()).reversed()
                            .thenComparing(byStanding))
                    .limit(POOL_SIZE).toList();
            fitPools.put(key, pool);
        }
    }

    /** An empty model for a site with no published content. */
    static SiteModel empty(long nowMillis) {
        return new SiteModel(List.of(), BehaviorStats.EMPTY, nowMillis, 1);
    }

    /** The same catalog with freshly built statistics. */
    SiteModel withStats(BehaviorStats newStats, long nowMillis, long freshnessHalfLifeMillis) {
        return new SiteModel(items.values(), newStats, nowMillis, freshnessHalfLifeMillis);
    }

    /** A new catalog with the statistics already known. */
    SiteModel withCatalog(Collection<CatalogItem> catalog, long nowMillis, long freshnessHalfLifeMillis) {
        return new SiteModel(catalog, stats, nowMillis, freshnessHalfLifeMillis);
    }

    /** A published item, or null when the id is not (or no longer) published. */
    CatalogItem item(long contentId) {
        return items.get(contentId);
    }

    Collection<CatalogItem> items() {
        return items.values();
    }

    int size() {
        return items.size();
    }

    BehaviorStats stats() {
        return stats;
    }

    /** Most read first. */
    List<CatalogItem> popular() {
        return popular;
    }

    /** Newest first. */
    List<CatalogItem> freshest() {
        return freshest;
    }

    /** The best items of a topic ({@code c:slug} or {@code t:slug}), popular and fresh first. */
    List<CatalogItem> topic(String topicKey) {
        return byTopic.getOrDefault(topicKey, List.of());
    }

    boolean hasTopic(String topicKey) {
        return byTopic.containsKey(topicKey);
    }

    /** Items that fit a stage or segment of {@link AudienceFit#POOL_KEYS}, best first. */
    List<CatalogItem> fitPool(String key) {
        return fitPools.getOrDefault(key, List.of());
    }

    /** Display name of a topic key, falling back to its slug. */
    String topicName(String topicKey) {
        String name = topicNames.get(topicKey);
        return name != null ? name : topicKey.substring(2);
    }

    long builtAtMillis() {
        return builtAtMillis;
    }
}

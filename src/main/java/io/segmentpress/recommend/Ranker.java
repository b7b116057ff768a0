package io.segmentpress.recommend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.segmentpress.recommend.BehaviorStats.Related;

/**
 * Ranks a site's catalog for one visitor, in memory: gathers a few hundred candidates from the
 * precomputed lists of a {@link SiteModel}, blends seven signals per candidate, and picks the
 * list with a diversity-aware greedy re-rank (maximal marginal relevance). Pure logic, no I/O.
 */
public final class Ranker {

    private static final long DAY_MILLIS = 86_400_000L;
    private static final int RECENT_READS = 10;
    private static final double RECENT_READ_DECAY = 0.85;
    private static final double READ_INTEREST_HALF_LIFE_DAYS = 30;
    private static final int TOPIC_CANDIDATES = 40;
    private static final int SEGMENT_CANDIDATES = 60;
    private static final int POOL_CANDIDATES = 60;
    private static final int POPULAR_CANDIDATES = 60;
    private static final int FRESH_CANDIDATES = 30;
    private static final int RERANK_POOL = 100;

    /** The signals of {@link RankingWeights}, in the order ties are broken when choosing a reason. */
    private enum Signal { CO_READ, INTEREST, SEGMENT, FIT, CONTEXT, FRESHNESS, POPULARITY }

    private Ranker() {
    }

    /** Freshness 0–1: 1 when just published, halving every half-life. */
    static double freshness(CatalogItem item, long nowMillis, long halfLifeMillis) {
        if (item.publishedAtMillis() <= 0) {
            return 0;
        }
        double age = Math.max(0, nowMillis - item.publishedAtMillis());
        return Math.pow(0.5, age / halfLifeMillis);
    }

    /**
     * The ranked list for a visitor: never an item the visitor has read, the context item, an
     * excluded id or an item of another type; empty only when nothing in the catalog qualifies.
     */
    public static List<Recommended> rank(SiteModel model, VisitorContext visitor, RankRequest request, long nowMillis,
            RankingWeights weights) {
        Set<Long> excluded = excluded(visitor, request);
        BehaviorStats stats = model.stats();
        CatalogItem context = request.contextId() == null ? null : model.item(request.contextId());

        Map<String, Double> interests = interestProfile(model, visitor, nowMillis);
        List<Long> recentReads = visitor.reads().entrySet().stream()
                .sorted(Map.Entry.<Long, Long>comparingByValue().reversed()).limit(RECENT_READS).map(Map.Entry::getKey).toList();

        Map<Long, CatalogItem> candidates = new LinkedHashMap<>();
        Map<Long, Double> coRead = new HashMap<>();
        Map<Long, Long> coReadSource = new HashMap<>();
        for (int i = 0; i < recentReads.size(); i++) {
            double recency = Math.pow(RECENT_READ_DECAY, i);
            for (Related related : stats.coRead(recentReads.get(i))) {
                double value = related.weight() * recency;
                if (value > coRead.getOrDefault(related.contentId(), 0.0)) {
                    coRead.put(related.contentId(), value);
                    coReadSource.put(related.contentId(), recentReads.get(i));
                }
                addCandidate(candidates, model.item(related.contentId()), request, excluded);
            }
        }
        Map<Long, Double> contextCoRead = new HashMap<>();
        if (context != null) {
            for (Related related : stats.coRead(context.contentId())) {
                contextCoRead.put(related.contentId(), related.weight());
                addCandidate(candidates, model.item(related.contentId()), request, excluded);
            }
            for (String key : context.categoryKeys()) {
                addCandidates(candidates, model.topic(key), TOPIC_CANDIDATES, request, excluded);
            }
        }
        interests.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(4)
                .forEach(entry -> addCandidates(candidates, model.topic(entry.getKey()), TOPIC_CANDIDATES, request, excluded));

        Map<Long, Double> segmentScore = new HashMap<>();
        Map<Long, String> segmentSource = new HashMap<>();
        for (String segment : visitor.segments()) {
            List<Related> items = stats.segmentItems(segment);
            for (int i = 0; i < items.size(); i++) {
                Related related = items.get(i);
                if (related.weight() > segmentScore.getOrDefault(related.contentId(), 0.0)) {
                    segmentScore.put(related.contentId(), related.weight());
                    segmentSource.put(related.contentId(), segment);
                }
                if (i < SEGMENT_CANDIDATES) {
                    addCandidate(candidates, model.item(related.contentId()), request, excluded);
                }
            }
            addCandidates(candidates, model.fitPool(segment), POOL_CANDIDATES, request, excluded);
        }
        addCandidates(candidates, model.fitPool(visitor.stage()), POOL_CANDIDATES, request, excluded);
        addCandidates(candidates, model.popular(), POPULAR_CANDIDATES, request, excluded);
        addCandidates(candidates, model.freshest(), FRESH_CANDIDATES, request, excluded);
        if (candidates.size() < request.limit()) {
            addCandidates(candidates, model.items(), Integer.MAX_VALUE, request, excluded);
        }

        double maxCoRead = maxOver(candidates.keySet(), coRead);
        double maxContext = maxOver(candidates.keySet(), contextCoRead);
        List<Scored> scored = new ArrayList<>(candidates.size());
        for (CatalogItem item : candidates.values()) {
            long id = item.contentId();
            double[] signals = new double[Signal.values().length];
            String interestTopic = null;
            double bestInterest = 0;
            for (String key : item.topicKeys()) {
                double value = interests.getOrDefault(key, 0.0) * (key.startsWith("c:") ? 1.0 : 0.6);
                if (value > bestInterest) {
                    bestInterest = value;
                    interestTopic = key;
                }
            }
            signals[Signal.INTEREST.ordinal()] = bestInterest;
            signals[Signal.CO_READ.ordinal()] = maxCoRead > 0 ? coRead.getOrDefault(id, 0.0) / maxCoRead : 0;
            signals[Signal.SEGMENT.ordinal()] = segmentScore.getOrDefault(id, 0.0);
            AudienceFit.Fit fit = AudienceFit.of(item, visitor.stage(), visitor.segments());
            signals[Signal.FIT.ordinal()] = fit.score();
            if (context != null) {
                double coReadWithContext = maxContext > 0 ? contextCoRead.getOrDefault(id, 0.0) / maxContext : 0;
                signals[Signal.CONTEXT.ordinal()] = 0.6 * coReadWithContext + 0.4 * context.topicOverlap(item);
            }
            signals[Signal.FRESHNESS.ordinal()] = freshness(item, nowMillis, weights.freshnessHalfLifeMillis());
            signals[Signal.POPULARITY.ordinal()] = stats.popularity(id);

            double[] contributions = new double[signals.length];
            contributions[Signal.INTEREST.ordinal()] = weights.interest() * signals[Signal.INTEREST.ordinal()];
            contributions[Signal.CO_READ.ordinal()] = weights.coRead() * signals[Signal.CO_READ.ordinal()];
            contributions[Signal.SEGMENT.ordinal()] = weights.segment() * signals[Signal.SEGMENT.ordinal()];
            contributions[Signal.FIT.ordinal()] = weights.fit() * signals[Signal.FIT.ordinal()];
            contributions[Signal.CONTEXT.ordinal()] = weights.context() * signals[Signal.CONTEXT.ordinal()];
            contributions[Signal.FRESHNESS.ordinal()] = weights.freshness() * signals[Signal.FRESHNESS.ordinal()];
            contributions[Signal.POPULARITY.ordinal()] = weights.popularity() * signals[Signal.POPULARITY.ordinal()];
            double total = 0;
            int strongest = 0;
            for (int s = 0; s < contributions.length; s++) {
                total += contributions[s];
                if (contributions[s] > contributions[strongest]) {
                    strongest = s;
                }
            }
            String reason = reason(Signal.values()[strongest], model, item, context, interestTopic, coReadSource.get(id),
                    segmentSource.get(id), fit, nowMillis, contextCoRead.containsKey(id));
            scored.add(new Scored(item, total, reason));
        }
        return diversify(scored, request.limit(), weights.diversity());
    }

    /**
     * The control list of an experiment: the site's most read items (newest first among equals),
     * with the same exclusions as the ranked list.
     */
    public static List<Recommended> mostPopular(SiteModel model, VisitorContext visitor, RankRequest request) {
        Set<Long> excluded = excluded(visitor, request);
        Map<Long, CatalogItem> picked = new LinkedHashMap<>();
        addCandidates(picked, model.popular(), request.limit(), request, excluded);
        if (picked.size() < request.limit()) {
            model.items().stream().sorted(Comparator.comparingLong(CatalogItem::publishedAtMillis).reversed())
                    .forEach(item -> {
                        if (picked.size() < request.limit()) {
                            addCandidate(picked, item, request, excluded);
                        }
                    });
        }
        List<Recommended> result = new ArrayList<>(picked.size());
        for (CatalogItem item : picked.values()) {
            result.add(new Recommended(item, round(model.stats().popularity(item.contentId())), "Popular on this site"));
        }
        return result;
    }

    /**
     * What to show a segment as a whole: the visitor ranking for a member of only this segment
     * (its stage or interest when the key is one) who has read nothing yet.
     */
    public static List<Recommended> forSegment(SiteModel model, String segmentKey, int limit, long nowMillis, RankingWeights weights) {
        String stage = segmentKey.startsWith("stage:") ? segmentKey : null;
        Map<String, Double> interests = segmentKey.startsWith("interest:") ? Map.of(segmentKey.substring(9), 1.0) : Map.of();
        VisitorContext member = new VisitorContext(null, List.of(segmentKey), stage, interests, Map.of());
        return rank(model, member, new RankRequest(limit, null, null, Set.of()), nowMillis, weights);
    }

    private static Set<Long> excluded(VisitorContext visitor, RankRequest request) {
        Set<Long> excluded = new HashSet<>(visitor.reads().keySet());
        excluded.addAll(request.exclude());
        if (request.contextId() != null) {
            excluded.add(request.contextId());
        }
        return excluded;
    }

    /**
     * Topic interests 0–1 by topic key: the profile's category interests plus what the visitor's
     * own reads are about (recent reads count more), so a read shows up before the profile is
     * recomputed.
     */
    static Map<String, Double> interestProfile(SiteModel model, VisitorContext visitor, long nowMillis) {
        Map<String, Double> combined = new HashMap<>();
        double profileMax = visitor.interests().values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        if (profileMax > 0) {
            visitor.interests().forEach((slug, weight) -> combined.merge(CatalogItem.categoryKey(slug), weight / profileMax, Double::sum));
        }
        Map<String, Double> fromReads = new HashMap<>();
        visitor.reads().forEach((contentId, readAt) -> {
            CatalogItem item = model.item(contentId);
            if (item == null) {
                return;
            }
            double weight = Math.pow(0.5, Math.max(0, nowMillis - readAt) / (READ_INTEREST_HALF_LIFE_DAYS * DAY_MILLIS));
            for (String key : item.categoryKeys()) {
                fromReads.merge(key, weight, Double::sum);
            }
            for (String key : item.topicKeys()) {
                if (key.startsWith("t:")) {
                    fromReads.merge(key, weight * 0.5, Double::sum);
                }
            }
        });
        double readsMax = fromReads.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        if (readsMax > 0) {
            fromReads.forEach((key, weight) -> combined.merge(key, weight / readsMax, Double::sum));
        }
        double max = combined.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        if (max > 0) {
            combined.replaceAll((key, weight) -> weight / max);
        }
        return combined;
    }

    private static String reason(Signal signal, SiteModel model, CatalogItem item, CatalogItem context, String interestTopic,
            Long coReadSource, String segment, AudienceFit.Fit fit, long nowMillis, boolean coReadWithContext) {
        switch (signal) {
            case INTEREST:
                if (interestTopic != null) {
                    return "Because you read about " + model.topicName(interestTopic);
                }
                break;
            case CO_READ:
                CatalogItem source = coReadSource == null ? null : model.item(coReadSource);
                if (source != null) {
                    return "Readers of \u201c" + shorten(source.title(), 60) + "\u201d also read this";
                }
                return "Readers like you also read this";
            case SEGMENT:
                if (segment != null) {
                    return "Popular with " + SegmentLabels.label(segment, model) + " lately";
                }
                break;
            case FIT:
                if (fit.reason() != null) {
                    return fit.reason();
                }
                break;
            case CONTEXT:
                if (coReadWithContext) {
                    return "Readers of this page also read this";
                }
                for (String key : item.categoryKeys()) {
                    for (String contextKey : context.categoryKeys()) {
                        if (key.equals(contextKey)) {
                            return "More on " + model.topicName(key);
                        }
                    }
                }
                return "Related to this page";
            case FRESHNESS:
                return nowMillis - item.publishedAtMillis() < 7 * DAY_MILLIS ? "New this week" : "Recently published";
            default:
                break;
        }
        return "Popular on this site";
    }

    private static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1).stripTrailing() + "\u2026";
    }

    private record Scored(CatalogItem item, double total, String reason) {
    }

    /**
     * Greedy maximal-marginal-relevance pick: each next item maximizes its score minus
     * {@code diversity} times its topic overlap with the items already chosen.
     */
    private static List<Recommended> diversify(List<Scored> scored, int limit, double diversity) {
        scored.sort(Comparator.comparingDouble(Scored::total).reversed()
                .thenComparing(Comparator.comparingLong((Scored s) -> s.item().publishedAtMillis()).reversed())
                .thenComparingLong(s -> s.item().contentId()));
        List<Scored> pool = new ArrayList<>(scored.subList(0, Math.min(RERANK_POOL, scored.size())));
        List<Recommended> picked = new ArrayList<>(limit);
        List<CatalogItem> pickedItems = new ArrayList<>(limit);
        while (picked.size() < limit && !pool.isEmpty()) {
            int bestIndex = 0;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < pool.size(); i++) {
                Scored candidate = pool.get(i);
                double overlap = 0;
                for (CatalogItem chosen : pickedItems) {
                    overlap = Math.max(overlap, candidate.item().topicOverlap(chosen));
                }
                double value = candidate.total() - diversity * overlap;
                if (value > bestValue) {
                    bestValue = value;
                    bestIndex = i;
                }
            }
            Scored best = pool.remove(bestIndex);
            pickedItems.add(best.item());
            picked.add(new Recommended(best.item(), round(best.total()), best.reason()));
        }
        return picked;
    }

    private static double maxOver(Iterable<Long> ids, Map<Long, Double> values) {
        double max = 0;
        for (Long id : ids) {
            max = Math.max(max, values.getOrDefault(id, 0.0));
        }
        return max;
    }

    private static void addCandidates(Map<Long, CatalogItem> candidates, Iterable<CatalogItem> items, int max, RankRequest request,
            Set<Long> excluded) {
        int taken = 0;
        for (CatalogItem item : items) {
            if (taken >= max) {
                return;
            }
            if (addCandidate(candidates, item, request, excluded)) {
                taken++;
            }
        }
    }

    private static boolean addCandidate(Map<Long, CatalogItem> candidates, CatalogItem item, RankRequest request, Set<Long> excluded) {
        if (item == null || excluded.contains(item.contentId()) || !request.accepts(item)) {
            return false;
        }
        candidates.putIfAbsent(item.contentId(), item);
        return true;
    }

    static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}

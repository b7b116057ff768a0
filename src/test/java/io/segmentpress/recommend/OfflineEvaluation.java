package io.segmentpress.recommend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Leave-last-out evaluation on a {@link PlantedTasteSite}: each visitor's last read is held out,
 * statistics are built from everything else, and each ranking is asked for five items for the
 * visitor standing on their previous read (the page they were on). Hit rate@5 and NDCG@5 against
 * the held-out read, for our ranking and the two baselines sites use today.
 */
final class OfflineEvaluation {

    /** Hit rate@5 and NDCG@5 of one ranking. */
    record Score(String ranking, double hitRate, double ndcg) {
    }

    record Result(int items, int visitors, int evaluated, int trainingReads, List<Score> scores, long millis) {

        Score score(String ranking) {
            return scores.stream().filter(s -> s.ranking().equals(ranking)).findFirst().orElseThrow();
        }

        String table() {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "Offline evaluation: %d items, %d visitors, %d training reads, %d held-out reads (last read of each visitor), %d ms%n",
                    items, visitors, trainingReads, evaluated, millis));
            out.append(String.format(Locale.ROOT, "%-34s %10s %10s%n", "ranking", "HR@5", "NDCG@5"));
            for (Score score : scores) {
                out.append(String.format(Locale.ROOT, "%-34s %10.4f %10.4f%n", score.ranking(), score.hitRate(), score.ndcg()));
            }
            return out.toString();
        }
    }

    static final String OURS = "segmentpress (ranked)";
    static final String MOST_POPULAR = "baseline: most popular";
    static final String SAME_CATEGORY_RECENT = "baseline: same category, newest";
    private static final int K = 5;

    private OfflineEvaluation() {
    }

    static Result run(PlantedTasteSite site) {
        long started = System.currentTimeMillis();
        ReadLog training = new ReadLog();
        Map<Long, Long> heldOut = new LinkedHashMap<>();
        Map<Long, Map<Long, Long>> trainingReads = new HashMap<>();
        int trainingCount = 0;
        for (Map.Entry<Long, List<long[]>> entry : site.readsByVisitor.entrySet()) {
            List<long[]> history = entry.getValue();
            int keep = history.size() >= 2 ? history.size() - 1 : history.size();
            Map<Long, Long> reads = new LinkedHashMap<>();
            for (int i = 0; i < keep; i++) {
                training.add(entry.getKey(), history.get(i)[0], history.get(i)[1]);
                reads.put(history.get(i)[0], history.get(i)[1]);
                trainingCount++;
            }
            trainingReads.put(entry.getKey(), reads);
            if (keep < history.size()) {
                heldOut.put(entry.getKey(), history.get(keep)[0]);
            }
        }
        Map<Long, CatalogItem> byId = new HashMap<>();
        site.items.forEach(item -> byId.put(item.contentId(), item));
        Map<Long, List<String>> segments = new HashMap<>();
        Map<Long, Map<String, Double>> interests = new HashMap<>();
        trainingReads.forEach((visitor, reads) -> {
            Map<String, Double> shares = interestShares(reads, byId);
            interests.put(visitor, shares);
            List<String> keys = new ArrayList<>(site.plantedSegments.getOrDefault(visitor, List.of()));
            shares.forEach((slug, share) -> {
                long readsInCategory = reads.keySet().stream().filter(id -> byId.get(id).categories().get(0).slug().equals(slug)).count();
                if (share >= 0.25 && readsInCategory >= 3) {
                    keys.add("interest:" + slug);
                }
            });
            segments.put(visitor, keys);
        });

        RankingWeights weights = RankingWeights.defaults();
        BehaviorStats stats = BehaviorStats.build(training, segments, site.nowMillis, 20, 20, 200);
        SiteModel model = new SiteModel(site.items, stats, site.nowMillis, weights.freshnessHalfLifeMillis());

        Map<String, Function<VisitorCase, List<Long>>> rankings = new LinkedHashMap<>();
        rankings.put(OURS, c -> ids(Ranker.rank(model, c.visitor(), c.request(), site.nowMillis, weights)));
        RankingWeights noCoRead = new RankingWeights(weights.interest(), weights.segment(), 0, weights.context() * 0.4, weights.fit(),
                weights.freshness(), weights.popularity(), weights.diversity(), weights.freshnessHalfLifeMillis());
        rankings.put("  ablation: without co-reading", c -> ids(Ranker.rank(model, c.visitor(), c.request(), site.nowMillis, noCoRead)));
        RankingWeights noDiversity = new RankingWeights(weights.interest(), weights.segment(), weights.coRead(), weights.context(), weights.fit(),
                weights.freshness(), weights.popularity(), 0, weights.freshnessHalfLifeMillis());
        rankings.put("  ablation: without diversity", c -> ids(Ranker.rank(model, c.visitor(), c.request(), site.nowMillis, noDiversity)));
        rankings.put(MOST_POPULAR, c -> ids(Ranker.mostPopular(model, c.visitor(), c.request())));
        Map<String, List<CatalogItem>> newestByCategory = new HashMap<>();
        for (CatalogItem item : model.items()) {
            for (String category : item.categoryKeys()) {
                newestByCategory.computeIfAbsent(category, k -> new ArrayList<>()).add(item);
            }
        }
        newestByCategory.values().forEach(list -> list.sort(Comparator.comparingLong(CatalogItem::publishedAtMillis).reversed()));
        rankings.put(SAME_CATEGORY_RECENT, c -> sameCategoryRecent(model, newestByCategory, c));

        Map<String, double[]> totals = new LinkedHashMap<>();
        rankings.keySet().forEach(name -> totals.put(name, new double[2]));
        heldOut.forEach((visitor, target) -> {
            Map<Long, Long> reads = trainingReads.get(visitor);
            long context = reads.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            List<String> keys = segments.get(visitor);
            String stage = keys.stream().filter(k -> k.startsWith("stage:")).findFirst().orElse(VisitorContext.DEFAULT_STAGE);
            VisitorCase visitorCase = new VisitorCase(new VisitorContext(visitor, keys, stage, interests.get(visitor), reads),
                    new RankRequest(K, context, null, Set.of()));
            rankings.forEach((name, ranking) -> {
                List<Long> list = ranking.apply(visitorCase);
                int position = list.indexOf(target);
                if (position >= 0 && position < K) {
                    totals.get(name)[0] += 1;
                    totals.get(name)[1] += 1 / (Math.log(position + 2) / Math.log(2));
                }
            });
        });
        List<Score> scores = new ArrayList<>();
        int evaluated = heldOut.size();
        totals.forEach((name, t) -> scores.add(new Score(name, t[0] / evaluated, t[1] / evaluated)));
        return new Result(site.items.size(), site.readsByVisitor.size(), evaluated, trainingCount, scores,
                System.currentTimeMillis() - started);
    }

    private record VisitorCase(VisitorContext visitor, RankRequest request) {
    }

    /** What WordPress related-posts plugins do: the newest posts sharing the current post's category. */
    private static List<Long> sameCategoryRecent(SiteModel model, Map<String, List<CatalogItem>> newestByCategory, VisitorCase c) {
        CatalogItem context = model.item(c.request().contextId());
        String category = context.categoryKeys().length > 0 ? context.categoryKeys()[0] : null;
        return newestByCategory.getOrDefault(category, List.of()).stream()
                .filter(item -> item.contentId() != context.contentId() && !c.visitor().reads().containsKey(item.contentId()))
                .limit(K).map(CatalogItem::contentId).toList();
    }

    /** The profile's interests as the segment engine computes them: each category's share of the visitor's reads. */
    private static Map<String, Double> interestShares(Map<Long, Long> reads, Map<Long, CatalogItem> byId) {
        Map<String, Double> shares = new HashMap<>();
        reads.keySet().forEach(id -> shares.merge(byId.get(id).categories().get(0).slug(), 1.0 / reads.size(), Double::sum));
        return shares;
    }

    private static List<Long> ids(List<Recommended> list) {
        return list.stream().map(r -> r.item().contentId()).toList();
    }

    /** Runs the full-size evaluation and prints the table (bench/recommend-eval.sh). */
    public static void main(String[] args) {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int visitors = args.length > 1 ? Integer.parseInt(args[1]) : 20000;
        long now = 1_780_000_000_000L;
        PlantedTasteSite site = new PlantedTasteSite(42, items, 12, visitors, now);
        System.out.println(run(site).table());
    }
}

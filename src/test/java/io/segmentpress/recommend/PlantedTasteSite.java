package io.segmentpress.recommend;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.segmentpress.recommend.CatalogItem.Term;

/**
 * A generated site whose readers have planted tastes, for the offline evaluation. What a real
 * site shows, in small: a catalog across categories with skewed appeal, published over a year;
 * readers who each favor one or two categories, follow "series" of related posts (read one, then
 * the next), drift to site-wide hits now and then; bargain hunters who go for products on sale.
 * Every visitor's reads are in time order.
 */
final class PlantedTasteSite {

    static final long DAY = 86_400_000L;

    final List<CatalogItem> items = new ArrayList<>();
    /** Each visitor's reads, oldest first. */
    final Map<Long, List<long[]>> readsByVisitor = new HashMap<>();
    final Map<Long, List<String>> plantedSegments = new HashMap<>();
    final long nowMillis;

    private final Random random;
    private final double[] appeal;
    private final List<List<Integer>> itemsOfCategory = new ArrayList<>();
    private final int[] categoryOf;
    /** The next item of a series (readers of one tend to read the other), or -1. */
    private final int[] nextInSeries;
    private final Map<List<Integer>, double[]> cumulativeWeights = new java.util.IdentityHashMap<>();
    private List<Integer> allItems;
    private List<Integer> onSaleItems;

    PlantedTasteSite(long seed, int itemCount, int categories, int visitors, long nowMillis) {
        this.random = new Random(seed);
        this.nowMillis = nowMillis;
        this.appeal = new double[itemCount];
        this.categoryOf = new int[itemCount];
        this.nextInSeries = new int[itemCount];
        for (int c = 0; c < categories; c++) {
            itemsOfCategory.add(new ArrayList<>());
        }
        for (int i = 0; i < itemCount; i++) {
            int category = (int) Math.min(categories - 1, Math.floor(Math.abs(random.nextGaussian()) * categories / 2.5));
            categoryOf[i] = category;
            itemsOfCategory.get(category).add(i);
            appeal[i] = 1.0 / Math.pow(1 + random.nextInt(itemCount), 0.8); // Zipf-like appeal
            boolean product = random.nextDouble() < 0.15;
            long published = nowMillis - (long) (random.nextDouble() * 365 * DAY);
            String slug = "topic-" + category;
            List<Term> tags = List.of(new Term("tag-" + category + "-" + random.nextInt(5), "Tag " + category));
            items.add(new CatalogItem(i + 1, (product ? "Product " : "Post ") + (i + 1), "https://example.test/" + (i + 1),
                    product ? "product" : "post", published, List.of(new Term(slug, "Topic " + category)), tags, null,
                    600 + random.nextInt(2000), product && random.nextDouble() < 0.4, product ? BigDecimal.TEN : null));
        }
        // series of 3–6 posts inside a category
        java.util.Arrays.fill(nextInSeries, -1);
        for (List<Integer> members : itemsOfCategory) {
            List<Integer> shuffled = new ArrayList<>(members);
            java.util.Collections.shuffle(shuffled, random);
            int i = 0;
            while (i < shuffled.size()) {
                int length = 3 + random.nextInt(4);
                for (int k = i; k < Math.min(shuffled.size(), i + length) - 1; k++) {
                    nextInSeries[shuffled.get(k)] = shuffled.get(k + 1);
                }
                i += length;
            }
        }
        for (long visitor = 1; visitor <= visitors; visitor++) {
            simulate(visitor, categories);
        }
    }

    private void simulate(long visitor, int categories) {
        int favorite = random.nextInt(categories);
        int second = random.nextDouble() < 0.5 ? random.nextInt(categories) : favorite;
        boolean bargainHunter = random.nextDouble() < 0.15;
        int reads = 3 + (int) Math.min(40, Math.abs(random.nextGaussian()) * 10);
        List<long[]> history = new ArrayList<>();
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        long time = nowMillis - (long) (random.nextDouble() * 25 * DAY) - 3 * DAY;
        int last = -1;
        for (int r = 0; r < reads; r++) {
            int next;
            double roll = random.nextDouble();
            if (last >= 0 && nextInSeries[last] >= 0 && roll < 0.45) {
                next = nextInSeries[last];
            } else if (bargainHunter && roll < 0.65) {
                next = pickOnSale();
            } else if (roll < 0.85) {
                next = pickFrom(itemsOfCategory.get(random.nextDouble() < 0.7 ? favorite : second));
            } else {
                next = pickGlobal();
            }
            if (next < 0 || !seen.add(next)) {
                continue;
            }
            time += (long) (random.nextDouble() * DAY / 4);
            history.add(new long[] { next + 1, time });
            last = next;
        }
        if (history.isEmpty()) {
            return;
        }
        readsByVisitor.put(visitor, history);
        List<String> segments = new ArrayList<>();
        if (bargainHunter) {
            segments.add("bargain-hunter");
        }
        segments.add("stage:" + (history.size() >= 8 ? "consideration" : "awareness"));
        if (history.size() >= 15) {
            segments.add("power-user");
        }
        plantedSegments.put(visitor, segments);
    }

    /** Picks from a list with probability proportional to {@link #weight}; cumulative weights are cached per list. */
    private int pickFrom(List<Integer> candidates) {
        if (candidates.isEmpty()) {
            return pickGlobal();
        }
        double[] cumulative = cumulativeWeights.computeIfAbsent(candidates, list -> {
            double[] sums = new double[list.size()];
            double total = 0;
            for (int k = 0; k < list.size(); k++) {
                total += weight(list.get(k));
                sums[k] = total;
            }
            return sums;
        });
        double target = random.nextDouble() * cumulative[cumulative.length - 1];
        int found = java.util.Arrays.binarySearch(cumulative, target);
        int index = found >= 0 ? found : -found - 1;
        return candidates.get(Math.min(index, candidates.size() - 1));
    }

    private int pickGlobal() {
        if (allItems == null) {
            allItems = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                allItems.add(i);
            }
        }
        return pickFrom(allItems);
    }

    private int pickOnSale() {
        if (onSaleItems == null) {
            onSaleItems = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i).onSale()) {
                    onSaleItems.add(i);
                }
            }
        }
        return onSaleItems.isEmpty() ? pickGlobal() : pickFrom(onSaleItems);
    }

    /** Appeal, with newer items read more (readers follow what is new). */
    private double weight(int item) {
        double ageDays = (nowMillis - items.get(item).publishedAtMillis()) / (double) DAY;
        return appeal[item] * (0.5 + Math.pow(0.5, ageDays / 60));
    }
}

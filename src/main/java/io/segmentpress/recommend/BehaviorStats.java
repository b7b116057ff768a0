package io.segmentpress.recommend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * What the site's readers did recently, reduced to what ranking needs: popularity per item,
 * per-segment popularity (with its lift over the site average) and item-item co-reading.
 * Built from a {@link ReadLog} and segment memberships; immutable once built.
 */
public final class BehaviorStats {

    /** An item and how strongly it relates to something (a segment, another item). */
    public record Related(long contentId, double weight) {
    }

    static final BehaviorStats EMPTY = new BehaviorStats(Map.of(), Map.of(), Map.of(), 0);

    private static final double POPULARITY_HALF_LIFE_DAYS = 7;
    private static final double SEGMENT_SHRINKAGE = 10;
    private static final double CO_READ_SHRINKAGE = 3;

    private final Map<Long, Double> popularity;
    private final Map<String, List<Related>> segmentItems;
    private final Map<Long, List<Related>> coRead;
    private final int readers;

    private BehaviorStats(Map<Long, Double> popularity, Map<String, List<Related>> segmentItems, Map<Long, List<Related>> coRead,
            int readers) {
        this.popularity = popularity;
        this.segmentItems = segmentItems;
        this.coRead = coRead;
        this.readers = readers;
    }

    /** Popularity 0–1 (log-scaled, 1 = the most read item). */
    double popularity(long contentId) {
        return popularity.getOrDefault(contentId, 0.0);
    }

    Map<Long, Double> popularity() {
        return popularity;
    }

    /** The segment's characteristic items, best first, weights 0–1. */
    List<Related> segmentItems(String segmentKey) {
        return segmentItems.getOrDefault(segmentKey, List.of());
    }

    Map<String, List<Related>> segmentItems() {
        return segmentItems;
    }

    /** Items read by the same people as {@code contentId}, most related first (cosine similarity, shrunk for small counts). */
    List<Related> coRead(long contentId) {
        return coRead.getOrDefault(contentId, List.of());
    }

    int readers() {
        return readers;
    }

    /**
     * Builds the statistics.
     *
     * @param reads        recent reads, grouped by visitor
     * @param segmentsOf   each visitor's segment keys (visitors without any may be absent)
     * @param nowMillis    the time recency is measured from
     */
    public static BehaviorStats build(ReadLog reads, Map<Long, List<String>> segmentsOf, long nowMillis, int coReadReadsPerVisitor,
            int coReadNeighbours, int itemsPerSegment) {
        Map<Long, Double> rawPopularity = new HashMap<>();
        Map<String, Map<Long, Double>> segmentCounts = new HashMap<>();
        Map<String, Integer> segmentSizes = new HashMap<>();
        Map<Long, Integer> denseIndex = new HashMap<>();
        List<Long> denseIds = new ArrayList<>();
        PairCounter pairs = new PairCounter();
        int readers = 0;

        int start = 0;
        while (start < reads.size()) {
            int end = reads.endOfVisitor(start);
            long visitorId = reads.visitorId(start);
            readers++;
            List<String> segments = segmentsOf.getOrDefault(visitorId, List.of());
            for (String segment : segments) {
                segmentSizes.merge(segment, 1, Integer::sum);
            }
            for (int i = start; i < end; i++) {
                double ageDays = Math.max(0, nowMillis - reads.readAtMillis(i)) / 86_400_000.0;
                double weight = Math.pow(0.5, ageDays / POPULARITY_HALF_LIFE_DAYS);
                long contentId = reads.contentId(i);
                rawPopularity.merge(contentId, weight, Double::sum);
                for (String segment : segments) {
                    segmentCounts.computeIfAbsent(segment, key -> new HashMap<>()).merge(contentId, weight, Double::sum);
                }
            }
            // co-reading pairs among the visitor's most recent reads
            Integer[] order = new Integer[end - start];
            for (int i = 0; i < order.length; i++) {
                order[i] = start + i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(reads.readAtMillis(b), reads.readAtMillis(a)));
            int kept = Math.min(order.length, coReadReadsPerVisitor);
            int[] dense = new int[kept];
            for (int i = 0; i < kept; i++) {
                long contentId = reads.contentId(order[i]);
                dense[i] = denseIndex.computeIfAbsent(contentId, id -> {
                    denseIds.add(id);
                    return denseIds.size() - 1;
                });
            }
            pairs.addVisitor(dense);
            start = end;
        }

        Map<Long, Double> popularity = normalizeLog(rawPopularity);
        Map<String, List<Related>> segmentItems = segmentItems(segmentCounts, segmentSizes, rawPopularity, readers, itemsPerSegment);
        Map<Long, List<Related>> coRead = pairs.neighbours(denseIds, coReadNeighbours);
        return new BehaviorStats(popularity, segmentItems, coRead, readers);
    }

    private static Map<Long, Double> normalizeLog(Map<Long, Double> raw) {
        double max = raw.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        Map<Long, Double> normalized = new HashMap<>(raw.size() * 2);
        if (max <= 0) {
            return normalized;
        }
        double scale = Math.log1p(max);
        raw.forEach((id, value) -> normalized.put(id, Math.log1p(value) / scale));
        return normalized;
    }

    /**
     * A segment's items, scored by how much its members read them (relative to the segment's most
     * read item) and how much more than the average reader does (lift, shrunk towards 1 for
     * small counts): an item everyone reads scores half, one the segment reads twice as much as
     * everyone else scores full.
     */
    private static Map<String, List<Related>> segmentItems(Map<String, Map<Long, Double>> segmentCounts,
            Map<String, Integer> segmentSizes, Map<Long, Double> rawPopularity, int readers, int itemsPerSegment) {
        Map<String, List<Related>> result = new HashMap<>();
        segmentCounts.forEach((segment, counts) -> {
            int size = segmentSizes.get(segment);
            double max = counts.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
            if (max <= 0) {
                return;
            }
            List<Related> scored = new ArrayList<>(counts.size());
            counts.forEach((contentId, count) -> {
                double siteShare = rawPopularity.get(contentId) / readers;
                double lift = (count + SEGMENT_SHRINKAGE * siteShare) / ((size + SEGMENT_SHRINKAGE) * siteShare);
                double liftFactor = Math.min(1, Math.max(0, lift - 1));
                scored.add(new Related(contentId, (count / max) * (0.5 + 0.5 * liftFactor)));
            });
            scored.sort((a, b) -> Double.compare(b.weight(), a.weight()));
            result.put(segment, List.copyOf(scored.subList(0, Math.min(itemsPerSegment, scored.size()))));
        });
        return result;
    }

    /**
     * Counts how many visitors read each pair of items. Pairs are packed into longs and counted
     * by sorting, which keeps millions of pairs in flat arrays instead of nested maps.
     */
    private static final class PairCounter {
        private long[] packed = new long[4096];
        private int size;
        private int[] itemReaders = new int[1024];

        void addVisitor(int[] items) {
            for (int item : items) {
                if (item >= itemReaders.length) {
                    itemReaders = Arrays.copyOf(itemReaders, Math.max(item + 1, itemReaders.length * 2));
                }
                itemReaders[item]++;
            }
            for (int i = 0; i < items.length; i++) {
                for (int j = i + 1; j < items.length; j++) {
                    int low = Math.min(items[i], items[j]);
                    int high = Math.max(items[i], items[j]);
                    if (size == packed.length) {
                        packed = Arrays.copyOf(packed, size * 2);
                    }
                    packed[size++] = ((long) low << 32) | high;
                }
            }
        }

        Map<Long, List<Related>> neighbours(List<Long> denseIds, int keep) {
            Arrays.sort(packed, 0, size);
            List<PriorityQueue<Related>> best = new ArrayList<>(Collections.nCopies(denseIds.size(), (PriorityQueue<Related>) null));
            int i = 0;
            while (i < size) {
                long pair = packed[i];
                int j = i;
                while (j < size && packed[j] == pair) {
                    j++;
                }
                int together = j - i;
                int low = (int) (pair >>> 32);
                int high = (int) pair;
                double similarity = together / Math.sqrt((double) itemReaders[low] * itemReaders[high])
                        * together / (together + CO_READ_SHRINKAGE);
                offer(best, low, new Related(denseIds.get(high), similarity), keep);
                offer(best, high, new Related(denseIds.get(low), similarity), keep);
                i = j;
            }
            Map<Long, List<Related>> result = new HashMap<>();
            for (int item = 0; item < best.size(); item++) {
                PriorityQueue<Related> queue = best.get(item);
                if (queue != null) {
                    List<Related> sorted = new ArrayList<>(queue);
                    sorted.sort((a, b) -> Double.compare(b.weight(), a.weight()));
                    result.put(denseIds.get(item), List.copyOf(sorted));
                }
            }
            return result;
        }

        private static void offer(List<PriorityQueue<Related>> best, int item, Related related, int keep) {
            PriorityQueue<Related> queue = best.get(item);
            if (queue == null) {
                queue = new PriorityQueue<>((a, b) -> Double.compare(a.weight(), b.weight()));
                best.set(item, queue);
            }
            if (queue.size() < keep) {
                queue.add(related);
            } else if (queue.peek().weight() < related.weight()) {
                queue.poll();
                queue.add(related);
            }
        }
    }
}

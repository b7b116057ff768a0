package io.segmentpress.recommend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ranks a site's catalog for one visitor, in memory: gathers a few hundred candidates from the
 * precomputed lists of a {@link SiteModel}, blends seven signals per candidate, and picks the
 * list with a diversity-aware greedy re-rank (maximal marginal relevance). Pure logic, no I/O;
 * works on the model's dense item indices so a request costs microseconds.
 */
public final class Ranker {

    private static final long DAY_MILLIS = 86_400_000L;
    private static final int RECENT_READS = 10;
    private static final double RECENT_READ_DECAY = 0.85;
    private static final double READ_INTEREST_HALF_LIFE_DAYS = 30;
    private static final double TAG_INTEREST_FACTOR = 0.6;
    private static final int INTEREST_TOPICS = 4;
    private static final double INTEREST_EVIDENCE = 3;
    private static final int TOPIC_CANDIDATES = 40;
    private static final int SEGMENT_CANDIDATES = 60;
    private static final int POOL_CANDIDATES = 60;
    private static final int POPULAR_CANDIDATES = 60;
    private static final int FRESH_CANDIDATES = 30;
    private static final int RERANK_POOL = 100;

    /** The blended signals; the strongest contribution names the reason. */
    private static final int INTEREST = 0;
    private static final int CO_READ = 1;
    private static final int SEGMENT = 2;
    private static final int FIT = 3;
    private static final int CONTEXT = 4;
    private static final int FRESHNESS = 5;
    private static final int POPULARITY = 6;

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
        Scratch scratch = Scratch.forRequest(model.size());
        Eligibility eligible = new Eligibility(model, visitor, request, scratch);
        Candidates candidates = scratch.candidates;
        int context = request.contextId() == null ? -1 : model.indexOf(request.contextId());

        double[] interests = interestProfile(model, visitor, nowMillis);
        int[] recentReads = recentReads(model, visitor);
        // a page the visitor has read already feeds co-reading; the context signal then only adds shared topics
        boolean contextRead = request.contextId() != null && visitor.reads().containsKey(request.contextId());

        for (int r = 0; r < recentReads.length; r++) {
            double recency = Math.pow(RECENT_READ_DECAY, r);
            int[] neighbours = model.coReadItems(recentReads[r]);
            double[] similarity = model.coReadWeights(recentReads[r]);
            for (int k = 0; k < neighbours.length; k++) {
                if (eligible.test(neighbours[k])) {
                    int p = candidates.add(neighbours[k]);
                    double value = similarity[k] * recency;
                    if (value > candidates.coRead[p]) {
                        candidates.coRead[p] = value;
                        candidates.coReadSource[p] = recentReads[r];
                    }
                }
            }
        }
        if (context >= 0) {
            int[] neighbours = model.coReadItems(context);
            double[] similarity = model.coReadWeights(context);
            for (int k = 0; k < neighbours.length; k++) {
                if (eligible.test(neighbours[k])) {
                    int p = candidates.add(neighbours[k]);
                    if (!contextRead) {
                        candidates.contextCoRead[p] = similarity[k];
                    }
                }
            }
            for (int topic : model.categoryTopics(context)) {
                candidates.addFirst(model.topicTop(topic), TOPIC_CANDIDATES, eligible);
            }
        }
        for (int topic : strongest(interests, INTEREST_TOPICS)) {
            candidates.addFirst(model.topicTop(topic), TOPIC_CANDIDATES, eligible);
        }
        List<String> segments = visitor.segments();
        for (String segment : segments) {
            candidates.addFirst(model.segmentItems(segment).items(), SEGMENT_CANDIDATES, eligible);
        }
        int[] fitKeys = fitKeys(visitor);
        for (int key : fitKeys) {
            candidates.addFirst(model.fitPool(key), POOL_CANDIDATES, eligible);
        }
        candidates.addFirst(model.popular(), POPULAR_CANDIDATES, eligible);
        candidates.addFirst(model.freshest(), FRESH_CANDIDATES, eligible);
        if (candidates.size < request.limit()) {
            for (int i = 0; i < model.size(); i++) {
                if (eligible.test(i)) {
                    candidates.add(i);
                }
            }
        }
        // segment scores for every candidate, whichever list brought it in
        for (int s = 0; s < segments.size(); s++) {
            SiteModel.SegmentItems list = model.segmentItems(segments.get(s));
            for (int k = 0; k < list.items().length; k++) {
                int p = candidates.positionOf(list.items()[k]);
                if (p >= 0 && list.weights()[k] > candidates.segment[p]) {
                    candidates.segment[p] = list.weights()[k];
                    candidates.segmentSource[p] = s;
                }
            }
        }

        double maxCoRead = max(candidates.coRead, candidates.size);
        double maxContext = max(candidates.contextCoRead, candidates.size);
        double[] contribution = new double[7];
        int[] topicData = model.topicData();
        double[] itemScores = model.itemScores();
        for (int p = 0; p < candidates.size; p++) {
            int item = candidates.items[p];
            int scores = item * SiteModel.SCORE_STRIDE;
            double interest = 0;
            int interestTopic = -1;
            int tagsFrom = model.tagsFrom(item);
            for (int t = model.categoriesFrom(item); t < tagsFrom; t++) {
                int topic = topicData[t];
                if (interests[topic] > interest) {
                    interest = interests[topic];
                    interestTopic = topic;
                }
            }
            for (int t = tagsFrom, end = model.topicsEnd(item); t < end; t++) {
                int topic = topicData[t];
                if (interests[topic] * TAG_INTEREST_FACTOR > interest) {
                    interest = interests[topic] * TAG_INTEREST_FACTOR;
                    interestTopic = topic;
                }
            }
            double fit = 0;
            int fitKey = -1;
            for (int key : fitKeys) {
                double score = itemScores[scores + SiteModel.FIT_SLOT + key];
                if (score > fit) {
                    fit = score;
                    fitKey = key;
                }
            }
            double contextScore = 0;
            if (context >= 0) {
                double coReadWithContext = maxContext > 0 ? candidates.contextCoRead[p] / maxContext : 0;
                contextScore = 0.6 * coReadWithContext + 0.4 * model.topicOverlap(context, item);
            }
            contribution[INTEREST] = weights.interest() * interest;
            contribution[CO_READ] = maxCoRead > 0 ? weights.coRead() * candidates.coRead[p] / maxCoRead : 0;
            contribution[SEGMENT] = weights.segment() * candidates.segment[p];
            contribution[FIT] = weights.fit() * fit;
            contribution[CONTEXT] = weights.context() * contextScore;
            contribution[FRESHNESS] = weights.freshness() * itemScores[scores + SiteModel.FRESHNESS_SLOT];
            contribution[POPULARITY] = weights.popularity() * itemScores[scores + SiteModel.POPULARITY_SLOT];
            double total = 0;
            int strongest = 0;
            for (int s = 0; s < contribution.length; s++) {
                total += contribution[s];
                if (contribution[s] > contribution[strongest]) {
                    strongest = s;
                }
            }
            candidates.total[p] = total;
            candidates.strongest[p] = strongest;
            candidates.interestTopic[p] = interestTopic;
            candidates.fitKey[p] = fitKey;
        }

        List<Recommended> result = new ArrayList<>(request.limit());
        for (int p : diversify(model, candidates, request.limit(), weights.diversity())) {
            int item = candidates.items[p];
            String reason = reason(model, visitor, candidates, p, context, nowMillis);
            result.add(new Recommended(model.itemAt(item), round(candidates.total[p]), reason));
        }
        return result;
    }

    /**
     * The control list of an experiment: the site's most read items (newest first among equals),
     * with the same exclusions as the ranked list.
     */
    public static List<Recommended> mostPopular(SiteModel model, VisitorContext visitor, RankRequest request) {
        Eligibility eligible = new Eligibility(model, visitor, request, Scratch.forRequest(model.size()));
        List<Recommended> result = new ArrayList<>(request.limit());
        boolean[] taken = new boolean[model.size()];
        for (int item : model.popular()) {
            if (result.size() < request.limit() && eligible.test(item)) {
                taken[item] = true;
                result.add(new Recommended(model.itemAt(item), round(model.popularity(item)), "Popular on this site"));
            }
        }
        if (result.size() < request.limit()) {
            Integer[] byDate = new Integer[model.size()];
            for (int i = 0; i < byDate.length; i++) {
                byDate[i] = i;
            }
            Arrays.sort(byDate, Comparator.comparingLong((Integer i) -> model.itemAt(i).publishedAtMillis()).reversed());
            for (int item : byDate) {
                if (result.size() < request.limit() && !taken[item] && eligible.test(item)) {
                    result.add(new Recommended(model.itemAt(item), round(model.popularity(item)), "Popular on this site"));
                }
            }
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

    /** Which items may appear: published (in the model), of the wanted type, not read, not the context, not excluded. */
    private static final class Eligibility {
        private final SiteModel model;
        private final int[] slots;
        private final int stamp;
        private final byte wantedType;

        Eligibility(SiteModel model, VisitorContext visitor, RankRequest request, Scratch scratch) {
            this.model = model;
            this.slots = scratch.slots;
            this.stamp = scratch.stamp;
            this.wantedType = request.type() == null ? -1 : SiteModel.typeCode(request.type());
            visitor.reads().keySet().forEach(this::exclude);
            request.exclude().forEach(this::exclude);
            if (request.contextId() != null) {
                exclude(request.contextId());
            }
        }

        private void exclude(long contentId) {
            int index = model.indexOf(contentId);
            if (index >= 0) {
                slots[index * Scratch.SLOTS + Scratch.EXCLUDED_STAMP] = stamp;
            }
        }

        boolean test(int item) {
            if (slots[item * Scratch.SLOTS + Scratch.EXCLUDED_STAMP] == stamp) {
                return false;
            }
            byte type = model.typeCode(item);
            return wantedType < 0 ? type != SiteModel.TYPE_PAGE : type == wantedType;
        }
    }

    /**
     * Per-thread working memory of a request, reused by the next request on the thread: arrays over
     * the catalog whose entries count only when they carry the current request's stamp, so a
     * request neither allocates nor clears anything in proportion to the catalog.
     */
    private static final class Scratch {
        static final int SLOTS = 4;
        static final int EXCLUDED_STAMP = 0;
        static final int CANDIDATE_STAMP = 1;
        static final int POSITION = 2;
        private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);

        int stamp;
        /**
         * Per item, next to each other ({@link #SLOTS} ints from {@code item * SLOTS}): the stamp of
         * the request that excluded it, the stamp of the request that made it a candidate, and its
         * position among the candidates. A request tests, adds and looks up an item in one cache line.
         */
        int[] slots = new int[0];
        long[] keys = new long[256];
        final Candidates candidates = new Candidates(this);

        static Scratch forRequest(int catalogSize) {
            Scratch scratch = PER_THREAD.get();
            if (scratch.slots.length < catalogSize * SLOTS) {
                scratch.slots = new int[Math.max(catalogSize * SLOTS, scratch.slots.length * 2)];
            }
            if (++scratch.stamp == Integer.MAX_VALUE) {
                Arrays.fill(scratch.slots, 0);
                scratch.stamp = 1;
            }
            scratch.candidates.size = 0;
            return scratch;
        }
    }

    /** The candidates of one request and their per-signal values, in parallel arrays. */
    private static final class Candidates {
        private final Scratch scratch;
        int[] items = new int[256];
        double[] coRead = new double[256];
        int[] coReadSource = new int[256];
        double[] contextCoRead = new double[256];
        double[] segment = new double[256];
        int[] segmentSource = new int[256];
        double[] total = new double[256];
        int[] strongest = new int[256];
        int[] interestTopic = new int[256];
        int[] fitKey = new int[256];
        int size;

        Candidates(Scratch scratch) {
            this.scratch = scratch;
        }

        int positionOf(int item) {
            int at = item * Scratch.SLOTS;
            return scratch.slots[at + Scratch.CANDIDATE_STAMP] == scratch.stamp ? scratch.slots[at + Scratch.POSITION] : -1;
        }

        int add(int item) {
            int at = item * Scratch.SLOTS;
            int[] slots = scratch.slots;
            if (slots[at + Scratch.CANDIDATE_STAMP] == scratch.stamp) {
                return slots[at + Scratch.POSITION];
            }
            if (size == items.length) {
                int capacity = size * 2;
                items = Arrays.copyOf(items, capacity);
                coRead = Arrays.copyOf(coRead, capacity);
                coReadSource = Arrays.copyOf(coReadSource, capacity);
                contextCoRead = Arrays.copyOf(contextCoRead, capacity);
                segment = Arrays.copyOf(segment, capacity);
                segmentSource = Arrays.copyOf(segmentSource, capacity);
                total = Arrays.copyOf(total, capacity);
                strongest = Arrays.copyOf(strongest, capacity);
                interestTopic = Arrays.copyOf(interestTopic, capacity);
                fitKey = Arrays.copyOf(fitKey, capacity);
            }
            items[size] = item;
            coRead[size] = 0;
            coReadSource[size] = -1;
            contextCoRead[size] = 0;
            segment[size] = 0;
            segmentSource[size] = -1;
            slots[at + Scratch.CANDIDATE_STAMP] = scratch.stamp;
            slots[at + Scratch.POSITION] = size;
            return size++;
        }

        /** Adds the first {@code max} eligible items of a best-first list. */
        void addFirst(int[] list, int max, Eligibility eligible) {
            int taken = 0;
            for (int k = 0; k < list.length && taken < max; k++) {
                if (eligible.test(list[k])) {
                    add(list[k]);
                    taken++;
                }
            }
        }
    }

    /** The visitor's most recent reads that are still published, newest first. */
    private static int[] recentReads(SiteModel model, VisitorContext visitor) {
        int[] indices = new int[visitor.reads().size()];
        long[] readAt = new long[indices.length];
        int count = 0;
        for (Map.Entry<Long, Long> read : visitor.reads().entrySet()) {
            int index = model.indexOf(read.getKey());
            if (index >= 0) {
                indices[count] = index;
                readAt[count++] = read.getValue();
            }
        }
        // selection of the newest few; among equal times the earlier entry first
        int[] recent = new int[Math.min(RECENT_READS, count)];
        for (int r = 0; r < recent.length; r++) {
            int newest = -1;
            for (int k = 0; k < count; k++) {
                if (indices[k] >= 0 && (newest < 0 || readAt[k] > readAt[newest])) {
                    newest = k;
                }
            }
            recent[r] = indices[newest];
            indices[newest] = -1;
        }
        return recent;
    }

    /** Keys of {@link AudienceFit#POOL_KEYS} that apply to the visitor: the stage and any segment with fit rules. */
    private static int[] fitKeys(VisitorContext visitor) {
        int[] keys = new int[visitor.segments().size() + 1];
        int count = 0;
        int stage = SiteModel.poolKeyIndex(visitor.stage());
        if (stage >= 0) {
            keys[count++] = stage;
        }
        for (String segment : visitor.segments()) {
            int key = SiteModel.poolKeyIndex(segment);
            if (key >= 0 && key != stage) {
                keys[count++] = key;
            }
        }
        return Arrays.copyOf(keys, count);
    }

    /**
     * Topic interests 0–1 by topic id: the profile's category interests plus what the visitor's
     * own reads are about (recent reads count more), so a read shows up before the profile is
     * recomputed.
     */
    static double[] interestProfile(SiteModel model, VisitorContext visitor, long nowMillis) {
        double[] combined = new double[model.topicCount()];
        double profileMax = 0;
        for (double weight : visitor.interests().values()) {
            profileMax = Math.max(profileMax, weight);
        }
        if (profileMax > 0) {
            for (Map.Entry<String, Double> interest : visitor.interests().entrySet()) {
                int topic = model.topicId(CatalogItem.categoryKey(interest.getKey()));
                if (topic >= 0) {
                    combined[topic] += interest.getValue() / profileMax;
                }
            }
        }
        if (!visitor.reads().isEmpty()) {
            double[] fromReads = new double[combined.length];
            int[] topicData = model.topicData();
            visitor.reads().forEach((contentId, readAt) -> {
                int item = model.indexOf(contentId);
                if (item < 0) {
                    return;
                }
                double weight = Math.pow(0.5, Math.max(0, nowMillis - readAt) / (READ_INTEREST_HALF_LIFE_DAYS * DAY_MILLIS));
                int tagsFrom = model.tagsFrom(item);
                for (int t = model.categoriesFrom(item); t < tagsFrom; t++) {
                    fromReads[topicData[t]] += weight;
                }
                for (int t = tagsFrom, end = model.topicsEnd(item); t < end; t++) {
                    fromReads[topicData[t]] += weight * 0.5;
                }
            });
            double readsMax = max(fromReads, fromReads.length);
            for (int topic = 0; readsMax > 0 && topic < combined.length; topic++) {
                combined[topic] += fromReads[topic] / readsMax;
            }
        }
        // one read is a hint, not an interest: full strength from INTEREST_EVIDENCE reads on
        double confidence = visitor.reads().isEmpty() ? 1 : Math.min(1, visitor.reads().size() / INTEREST_EVIDENCE);
        double max = max(combined, combined.length);
        for (int topic = 0; max > 0 && topic < combined.length; topic++) {
            combined[topic] = combined[topic] / max * confidence;
        }
        return combined;
    }

    private static int[] strongest(double[] values, int count) {
        int[] best = new int[count];
        int found = 0;
        boolean[] used = new boolean[values.length];
        while (found < count) {
            int pick = -1;
            for (int i = 0; i < values.length; i++) {
                if (!used[i] && values[i] > 0 && (pick < 0 || values[i] > values[pick])) {
                    pick = i;
                }
            }
            if (pick < 0) {
                break;
            }
            used[pick] = true;
            best[found++] = pick;
        }
        return Arrays.copyOf(best, found);
    }

    private static String reason(SiteModel model, VisitorContext visitor, Candidates candidates, int p, int context, long nowMillis) {
        int item = candidates.items[p];
        switch (candidates.strongest[p]) {
            case INTEREST:
                if (candidates.interestTopic[p] >= 0) {
                    return "Because you read about " + model.topicName(candidates.interestTopic[p]);
                }
                break;
            case CO_READ:
                if (candidates.coReadSource[p] >= 0) {
                    return "Readers of \u201c" + shorten(model.itemAt(candidates.coReadSource[p]).title(), 60) + "\u201d also read this";
                }
                return "Readers like you also read this";
            case SEGMENT:
                if (candidates.segmentSource[p] >= 0) {
                    return "Popular with " + SegmentLabels.label(visitor.segments().get(candidates.segmentSource[p]), model) + " lately";
                }
                break;
            case FIT:
                if (candidates.fitKey[p] >= 0) {
                    return model.fit(candidates.fitKey[p], item).reason();
                }
                break;
            case CONTEXT:
                if (candidates.contextCoRead[p] > 0) {
                    return "Readers of this page also read this";
                }
                for (int topic : model.categoryTopics(item)) {
                    for (int contextTopic : model.categoryTopics(context)) {
                        if (topic == contextTopic) {
                            return "More on " + model.topicName(topic);
                        }
                    }
                }
                return "Related to this page";
            case FRESHNESS:
                return nowMillis - model.itemAt(item).publishedAtMillis() < 7 * DAY_MILLIS ? "New this week" : "Recently published";
            default:
                break;
        }
        return "Popular on this site";
    }

    private static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1).stripTrailing() + "\u2026";
    }

    /**
     * Greedy maximal-marginal-relevance pick over the best {@value #RERANK_POOL} candidates: each
     * next item maximizes its score minus {@code diversity} times its topic overlap with the items
     * already chosen. Returns candidate positions in list order.
     */
    private static int[] diversify(SiteModel model, Candidates candidates, int limit, double diversity) {
        // order by score (float bits sort like the non-negative floats they encode), ties by candidate order
        if (candidates.scratch.keys.length < candidates.size) {
            candidates.scratch.keys = new long[candidates.size * 2];
        }
        long[] keys = candidates.scratch.keys;
        for (int p = 0; p < candidates.size; p++) {
            keys[p] = ((long) Float.floatToIntBits((float) candidates.total[p]) << 32) | (Integer.MAX_VALUE - p);
        }
        int poolSize = Math.min(RERANK_POOL, candidates.size);
        int from = candidates.size - poolSize;
        selectLargest(keys, candidates.size, poolSize);
        Arrays.sort(keys, from, candidates.size);
        int[] pool = new int[poolSize];
        for (int k = 0; k < poolSize; k++) {
            pool[k] = Integer.MAX_VALUE - (int) keys[candidates.size - 1 - k];
        }
        int picks = Math.min(limit, poolSize);
        int[] picked = new int[picks];
        double[] overlap = new double[poolSize];
        boolean[] used = new boolean[poolSize];
        for (int n = 0; n < picks; n++) {
            int best = -1;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < poolSize; k++) {
                if (used[k]) {
                    continue;
                }
                double value = candidates.total[pool[k]] - diversity * overlap[k];
                if (value > bestValue) {
                    bestValue = value;
                    best = k;
                }
            }
            used[best] = true;
            picked[n] = pool[best];
            if (n == picks - 1) {
                break; // no pick left for the overlaps to steer
            }
            int chosenItem = candidates.items[pool[best]];
            for (int k = 0; k < poolSize; k++) {
                if (!used[k]) {
                    overlap[k] = Math.max(overlap[k], model.topicOverlap(candidates.items[pool[k]], chosenItem));
                }
            }
        }
        return picked;
    }

    /**
     * Moves the {@code count} largest of the first {@code length} keys (all distinct) to the end of
     * that range, in no particular order (quickselect).
     */
    static void selectLargest(long[] keys, int length, int count) {
        int target = length - count;
        int low = 0;
        int high = length - 1;
        while (count > 0 && count < length && low < high) {
            long pivot = keys[(low + high) >>> 1];
            int i = low;
            int j = high;
            while (i <= j) {
                while (keys[i] < pivot) {
                    i++;
                }
                while (keys[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long swap = keys[i];
                    keys[i++] = keys[j];
                    keys[j--] = swap;
                }
            }
            if (target <= j) {
                high = j;
            } else if (target >= i) {
                low = i;
            } else {
                return;
            }
        }
    }

    private static double max(double[] values, int length) {
        double max = 0;
        for (int i = 0; i < length; i++) {
            max = Math.max(max, values[i]);
        }
        return max;
    }

    static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}

package io.segmentpress.brief;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.segmentpress.brief.SiteDemand.ReadStats;
import io.segmentpress.brief.SiteDemand.SearchStats;

/**
 * Folds the demand window of one range of visitors into per-segment demand, one visitor at a time:
 * the visitor's reads arrive in time order ({@link #read}), its segments and searches come from
 * {@link Members} and {@link Searches}, loaded once. Reads are counted for the site and for each
 * of the reader's segments; each search is answered by the first read within the answer window.
 * Visitor ranges are disjoint, so the {@link Result}s of several folds add up
 * ({@link Result#plus}), distinct searchers included.
 */
final class DemandFold {

    /** Hours since this instant number the activity buckets; any fixed UTC origin works. */
    static final Instant HOUR_ORIGIN = Instant.parse("2000-01-01T00:00:00Z");
    private static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();

    /** The site's segment memberships by visitor: sorted visitor ids, each with a run of segment indices. */
    static final class Members {
        final String[] segmentKeys;
        private final long[] visitors;
        /** Visitor {@code i}'s segments are {@code segments[starts[i]..starts[i + 1])}. */
        private final int[] starts;
        private final int[] segments;

        /** {@code visitorIds} ascending; one (visitor, segment index) pair per membership. */
        Members(String[] segmentKeys, long[] visitorIds, int[] segmentIndices, int count) {
            this.segmentKeys = segmentKeys;
            long[] visitors = new long[count];
            int[] starts = new int[count + 1];
            int distinct = 0;
            for (int i = 0; i < count; i++) {
                if (distinct == 0 || visitors[distinct - 1] != visitorIds[i]) {
                    visitors[distinct] = visitorIds[i];
                    starts[distinct++] = i;
                }
            }
            starts[distinct] = count;
            this.visitors = Arrays.copyOf(visitors, distinct);
            this.starts = Arrays.copyOf(starts, distinct + 1);
            this.segments = Arrays.copyOf(segmentIndices, count);
        }

        /** The position of {@code visitorId}, or a negative number when it is in no segment. */
        int find(long visitorId) {
            return Arrays.binarySearch(visitors, visitorId);
        }

        boolean has(long visitorId) {
            return find(visitorId) >= 0;
        }

        /** A visitor id that splits the members into {@code parts} equal runs, for the {@code part}-th boundary. */
        long splitPoint(int part, int parts) {
            return visitors[(int) ((long) visitors.length * part / parts) - 1];
        }

        int size() {
            return visitors.length;
        }
    }

    /** The window's searches of segment members, in (visitor, time) order, each query numbered. */
    static final class Searches {
        final String[] queries;
        private final long[] visitors;
        private final long[] atMillis;
        private final int[] queryIds;
        private final int size;

        private Searches(String[] queries, long[] visitors, long[] atMillis, int[] queryIds, int size) {
            this.queries = queries;
            this.visitors = visitors;
            this.atMillis = atMillis;
            this.queryIds = queryIds;
            this.size = size;
        }

        /** Searches in time order, reordered by visitor (a stable sort: each visitor's stay in time order). */
        static Searches byVisitor(String[] queries, long[] visitors, long[] atMillis, int[] queryIds, int size) {
            Integer[] order = new Integer[size];
            Arrays.setAll(order, i -> i);
            Arrays.sort(order, Comparator.comparingLong(i -> visitors[i]));
            long[] sortedVisitors = new long[size];
            long[] sortedAt = new long[size];
            int[] sortedQueries = new int[size];
            for (int i = 0; i < size; i++) {
                sortedVisitors[i] = visitors[order[i]];
                sortedAt[i] = atMillis[order[i]];
                sortedQueries[i] = queryIds[order[i]];
            }
            return new Searches(queries, sortedVisitors, sortedAt, sortedQueries, size);
        }

        /** The first search of a visitor with an id of {@code visitorId} or more. */
        int firstFrom(long visitorId) {
            return lowerBound(visitors, size, visitorId);
        }
    }

    /** What a fold found: the {@link SiteDemand} fields that come from the window's events. */
    record Result(Map<String, Map<Long, ReadStats>> segmentReads, Map<Long, ReadStats> siteReads,
            Map<String, List<SearchStats>> segmentSearches, Map<String, long[]> segmentActivity) {

        /** Both results together; they must come from disjoint sets of visitors. */
        Result plus(Result other) {
            Map<String, Map<Long, ReadStats>> reads = new HashMap<>(segmentReads);
            other.segmentReads.forEach((segment, posts) -> reads.merge(segment, posts, Result::sumReads));
            Map<String, List<SearchStats>> searches = new HashMap<>(segmentSearches);
            other.segmentSearches.forEach((segment, queries) -> searches.merge(segment, queries, Result::sumSearches));
            Map<String, long[]> activity = new HashMap<>(segmentActivity);
            other.segmentActivity.forEach((segment, hours) -> activity.merge(segment, hours, (a, b) -> {
                long[] sum = a.clone();
                for (int hour = 0; hour < sum.length; hour++) {
                    sum[hour] += b[hour];
                }
                return sum;
            }));
            return new Result(reads, sumReads(siteReads, other.siteReads), searches, activity);
        }

        private static Map<Long, ReadStats> sumReads(Map<Long, ReadStats> a, Map<Long, ReadStats> b) {
            Map<Long, ReadStats> sum = new HashMap<>(a);
            b.forEach((post, stats) -> sum.merge(post, stats, ReadStats::plus));
            return sum;
        }

        private static List<SearchStats> sumSearches(List<SearchStats> a, List<SearchStats> b) {
            Map<String, SearchStats> byQuery = new HashMap<>();
            for (SearchStats search : a) {
                byQuery.put(search.query(), search);
            }
            for (SearchStats search : b) {
                byQuery.merge(search.query(), search, (x, y) -> {
                    Map<Long, Integer> ledTo = new HashMap<>(x.ledTo());
                    y.ledTo().forEach((post, count) -> ledTo.merge(post, count, Integer::sum));
                    return new SearchStats(x.query(), x.searches() + y.searches(), x.searchers() + y.searchers(),
                            x.unanswered() + y.unanswered(), x.unansweredSearchers() + y.unansweredSearchers(), Map.copyOf(ledTo));
                });
            }
            return sortedByQuery(new ArrayList<>(byQuery.values()));
        }
    }

    private static final int READS = 0;
    private static final int SECONDS = 1;
    private static final int COMPLETED = 2;
    private static final int SEARCHES = 0;
    private static final int SEARCHERS = 1;
    private static final int UNANSWERED = 2;
    private static final int UNANSWERED_SEARCHERS = 3;

    private final Members members;
    private final Searches searches;
    private final long answerWithinMillis;
    private final int completedScrollDepth;
    private final long firstVisitor;
    private final long lastVisitor;

    /** Reads per post for the whole site; a post's row number is its index in the keys below. */
    private final KeyedSums postReads = new KeyedSums(3);
    /** Key: segment index << 32 | post row. */
    private final KeyedSums segmentPostReads = new KeyedSums(3);
    /** Key: segment index << 32 | UTC hour bucket. */
    private final KeyedSums segmentHours = new KeyedSums(1);
    /** Key: segment index << 32 | query id. */
    private final KeyedSums segmentQueries = new KeyedSums(4);
    /** Key: segmentQueries row << 32 | post row: answered searches by the post they led to. */
    private final KeyedSums answers = new KeyedSums(1);

    /** The visitor whose reads are being collected, and where it is in members and searches. */
    private long visitor = Long.MIN_VALUE;
    private int memberPosition = -1;
    private int nextSearch;
    private long[] readAt = new long[64];
    private int[] readPost = new int[64];
    private int reads;
    /** Per query id: the last visitor (by serial) who searched it, and who searched it unanswered. */
    private final int[] searchedBy;
    private final int[] unansweredBy;
    private int visitorSerial;

    /** A fold for the visitors with ids in {@code [firstVisitor, lastVisitor]}. */
    DemandFold(Members members, Searches searches, long firstVisitor, long lastVisitor, Duration answerWithin, int completedScrollDepth) {
        this.members = members;
        this.searches = searches;
        this.answerWithinMillis = answerWithin.toMillis();
        this.completedScrollDepth = completedScrollDepth;
        this.firstVisitor = firstVisitor;
        this.lastVisitor = lastVisitor;
        this.nextSearch = searches.firstFrom(firstVisitor);
        this.searchedBy = new int[searches.queries.length];
        this.unansweredBy = new int[searches.queries.length];
    }

    long firstVisitor() {
        return firstVisitor;
    }

    long lastVisitor() {
        return lastVisitor;
    }

    /**
     * One engaged read, in (visitor, time) order. {@code atMillis} counts milliseconds since
     * {@link #HOUR_ORIGIN}; a missing engaged time or scroll depth is 0.
     */
    void read(long visitorId, long atMillis, long postId, int engagedSeconds, int scrollDepth) {
        if (visitorId != visitor) {
            finishVisitor(visitorId);
            visitor = visitorId;
            memberPosition = members.find(visitorId);
        }
        int post = postReads.row(postId);
        int completed = scrollDepth >= completedScrollDepth ? 1 : 0;
        postReads.add(post, READS, 1);
        postReads.add(post, SECONDS, engagedSeconds);
        postReads.add(post, COMPLETED, completed);
        if (memberPosition < 0) {
            return;
        }
        long hour = (atMillis / HOUR_MILLIS) & 0xFFFF_FFFFL;
        for (int m = members.starts[memberPosition], end = members.starts[memberPosition + 1]; m < end; m++) {
            long segment = (long) members.segments[m] << 32;
            int row = segmentPostReads.row(segment | post);
            segmentPostReads.add(row, READS, 1);
            segmentPostReads.add(row, SECONDS, engagedSeconds);
            segmentPostReads.add(row, COMPLETED, completed);
            segmentHours.add(segmentHours.row(segment | hour), 0, 1);
        }
        if (reads == readAt.length) {
            readAt = Arrays.copyOf(readAt, reads * 2);
            readPost = Arrays.copyOf(readPost, reads * 2);
        }
        readAt[reads] = atMillis;
        readPost[reads++] = post;
    }

    /** Everything folded, with activity hours in {@code zone}'s week. */
    Result finish(ZoneId zone) {
        finishVisitor(lastVisitor == Long.MAX_VALUE ? Long.MAX_VALUE : lastVisitor + 1);
        String[] segmentKeys = members.segmentKeys;
        Map<Long, ReadStats> siteReads = new HashMap<>();
        for (int post = 0; post < postReads.size(); post++) {
            siteReads.put(postReads.key(post), stats(postReads, post));
        }
        Map<String, Map<Long, ReadStats>> segmentReads = new HashMap<>();
        for (int row = 0; row < segmentPostReads.size(); row++) {
            long key = segmentPostReads.key(row);
            segmentReads.computeIfAbsent(segmentKeys[(int) (key >>> 32)], k -> new HashMap<>())
                    .put(postReads.key((int) key), stats(segmentPostReads, row));
        }
        Map<String, long[]> activity = new HashMap<>();
        Map<Integer, Integer> hourOfWeek = new HashMap<>();
        for (int row = 0; row < segmentHours.size(); row++) {
            long key = segmentHours.key(row);
            int week = hourOfWeek.computeIfAbsent((int) key,
                    hour -> PublishSlots.hourOfWeek(HOUR_ORIGIN.plus(Duration.ofHours(hour)).atZone(zone)));
            activity.computeIfAbsent(segmentKeys[(int) (key >>> 32)], k -> new long[PublishSlots.HOURS_PER_WEEK])[week] +=
                    segmentHours.get(row, 0);
        }
        Map<Integer, Map<Long, Integer>> ledTo = new HashMap<>();
        for (int row = 0; row < answers.size(); row++) {
            long key = answers.key(row);
            ledTo.computeIfAbsent((int) (key >>> 32), k -> new HashMap<>()).put(postReads.key((int) key), (int) answers.get(row, 0));
        }
        Map<String, List<SearchStats>> segmentSearches = new HashMap<>();
        for (int row = 0; row < segmentQueries.size(); row++) {
            long key = segmentQueries.key(row);
            segmentSearches.computeIfAbsent(segmentKeys[(int) (key >>> 32)], k -> new ArrayList<>()).add(new SearchStats(
                    searches.queries[(int) key], (int) segmentQueries.get(row, SEARCHES), (int) segmentQueries.get(row, SEARCHERS),
                    (int) segmentQueries.get(row, UNANSWERED), (int) segmentQueries.get(row, UNANSWERED_SEARCHERS),
                    Map.copyOf(ledTo.getOrDefault(row, Map.of()))));
        }
        segmentSearches.replaceAll((segment, list) -> sortedByQuery(list));
        return new Result(segmentReads, siteReads, segmentSearches, activity);
    }

    private static ReadStats stats(KeyedSums sums, int row) {
        return new ReadStats((int) sums.get(row, READS), sums.get(row, SECONDS), (int) sums.get(row, COMPLETED));
    }

    private static List<SearchStats> sortedByQuery(List<SearchStats> searches) {
        searches.sort(Comparator.comparing(SearchStats::query));
        return searches;
    }

    /**
     * Counts the searches of the visitor whose reads are complete, and of every visitor before
     * {@code nextVisitor} who searched without reading anything.
     */
    private void finishVisitor(long nextVisitor) {
        while (nextSearch < searches.size && searches.visitors[nextSearch] < nextVisitor) {
            long searcher = searches.visitors[nextSearch];
            int end = nextSearch;
            while (end < searches.size && searches.visitors[end] == searcher) {
                end++;
            }
            if (searcher == visitor) {
                countSearches(memberPosition, nextSearch, end, reads);
            } else if (searcher <= lastVisitor) {
                countSearches(members.find(searcher), nextSearch, end, 0);
            }
            nextSearch = end;
        }
        reads = 0;
    }

    /** The searches {@code [from, to)} of one visitor, answered from its first {@code readCount} buffered reads. */
    private void countSearches(int memberAt, int from, int to, int readCount) {
        if (memberAt < 0) {
            return;
        }
        visitorSerial++;
        for (int s = from; s < to; s++) {
            int query = searches.queryIds[s];
            long at = searches.atMillis[s];
            int first = lowerBound(readAt, readCount, at);
            int ledTo = first < readCount && readAt[first] <= at + answerWithinMillis ? readPost[first] : -1;
            boolean newSearcher = searchedBy[query] != visitorSerial;
            searchedBy[query] = visitorSerial;
            boolean newUnansweredSearcher = ledTo < 0 && unansweredBy[query] != visitorSerial;
            if (ledTo < 0) {
                unansweredBy[query] = visitorSerial;
            }
            for (int m = members.starts[memberAt], end = members.starts[memberAt + 1]; m < end; m++) {
                int row = segmentQueries.row((long) members.segments[m] << 32 | query);
                segmentQueries.add(row, SEARCHES, 1);
                segmentQueries.add(row, SEARCHERS, newSearcher ? 1 : 0);
                if (ledTo < 0) {
                    segmentQueries.add(row, UNANSWERED, 1);
                    segmentQueries.add(row, UNANSWERED_SEARCHERS, newUnansweredSearcher ? 1 : 0);
                } else {
                    answers.add(answers.row((long) row << 32 | ledTo), 0, 1);
                }
            }
        }
    }

    /** The first index in the ascending {@code values[0..size)} whose value is {@code key} or more. */
    static int lowerBound(long[] values, int size, long key) {
        int low = 0;
        int high = size;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (values[middle] < key) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }
}

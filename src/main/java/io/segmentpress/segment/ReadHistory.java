package io.segmentpress.segment;

import java.util.Arrays;
import java.util.Map;

/**
 * The items a visitor has events for, with when each was last touched, as text: {@code
 * postId:epochMillis} pairs, comma-separated, one per item, ordered by item id. The segment engine
 * writes it to {@code visitor_profile.read_history}; recommendations read it back so that a request
 * needs no look-up in the event table.
 */
public final class ReadHistory {

    /**
     * Visitors with more distinct items than this keep no history on the profile row (the column
     * would outgrow what a request should read); recommendations then read their events instead.
     */
    public static final int MAX_ITEMS = 1000;

    private static final ReadHistory EMPTY = new ReadHistory(new long[0], new long[0], 0, false);

    private final long[] posts;
    private final long[] latest;
    private final int items;
    private final boolean overflow;

    private ReadHistory(long[] posts, long[] latest, int items, boolean overflow) {
        this.posts = posts;
        this.latest = latest;
        this.items = items;
        this.overflow = overflow;
    }

    /** The history of {@code length / 2} events given as {@code postId, epochMillis} pairs. */
    static ReadHistory of(long[] pairs, int length) {
        int events = length / 2;
        if (events == 0) {
            return EMPTY;
        }
        long[] posts = new long[events];
        for (int e = 0; e < events; e++) {
            posts[e] = pairs[2 * e];
        }
        Arrays.sort(posts);
        int items = 0;
        for (int e = 0; e < events; e++) {
            if (e == 0 || posts[e] != posts[e - 1]) {
                posts[items++] = posts[e];
            }
        }
        if (items > MAX_ITEMS) {
            return new ReadHistory(new long[0], new long[0], items, true);
        }
        long[] latest = new long[items];
        Arrays.fill(latest, Long.MIN_VALUE);
        for (int e = 0; e < events; e++) {
            int item = Arrays.binarySearch(posts, 0, items, pairs[2 * e]);
            latest[item] = Math.max(latest[item], pairs[2 * e + 1]);
        }
        return new ReadHistory(posts, latest, items, false);
    }

    /**
     * A fingerprint of the history for the profile hash, computed from the numbers: a full
     * recompute compares every visitor's, and builds the text only for the rows it writes.
     */
    long fingerprint() {
        long hash = overflow ? 0x9e3779b97f4a7c15L : 0xcbf29ce484222325L;
        for (int item = 0; item < items && !overflow; item++) {
            hash = (hash ^ posts[item]) * 0x100000001b3L;
            hash = (hash ^ latest[item]) * 0x100000001b3L;
        }
        return hash ^ items;
    }

    /** The column's text: "" without items, null when there are more than {@link #MAX_ITEMS}. */
    String text() {
        if (overflow) {
            return null;
        }
        StringBuilder text = new StringBuilder(items * 20);
        for (int item = 0; item < items; item++) {
            if (item > 0) {
                text.append(',');
            }
            text.append(posts[item]).append(':').append(latest[item]);
        }
        return text.toString();
    }

    /** Adds the items of a history (or of the same format from SQL) to {@code into}, keeping the latest time per item. */
    public static void parse(String history, Map<Long, Long> into) {
        int start = 0;
        int length = history.length();
        while (start < length) {
            int colon = history.indexOf(':', start);
            int comma = history.indexOf(',', colon);
            int end = comma < 0 ? length : comma;
            long postId = Long.parseLong(history, start, colon, 10);
            long readAt = Long.parseLong(history, colon + 1, end, 10);
            into.merge(postId, readAt, Math::max);
            start = end + 1;
        }
    }
}

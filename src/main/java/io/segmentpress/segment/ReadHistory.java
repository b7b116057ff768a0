package io.segmentpress.segment;

import java.util.Arrays;
import java.util.Map;

/**
 * The items a visitor has events for, with when each was last touched, as text: {@code
 * postId:epochMillis} pairs, comma-separated, one per item, ordered by item id. The segment engine
 * writes it to {@code visitor_profile.read_history}; recommendations read it back so that a request
 * needs no look-up in the event table. The same format is what the event-table fallback builds with
 * {@code GROUP_CONCAT}, so one parser serves both.
 */
public final class ReadHistory {

    /**
     * Visitors with more distinct items than this keep no history on the profile row (the column
     * would outgrow what a request should read); recommendations then read their events instead.
     */
    public static final int MAX_ITEMS = 1000;

    private ReadHistory() {
    }

    /**
     * The history of {@code length / 2} events given as {@code postId, epochMillis} pairs; null when
     * there are more than {@link #MAX_ITEMS} distinct items, "" when there are none.
     */
    static String write(long[] pairs, int length) {
        int events = length / 2;
        if (events == 0) {
            return "";
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
            return null;
        }
        long[] latest = new long[items];
        Arrays.fill(latest, Long.MIN_VALUE);
        for (int e = 0; e < events; e++) {
            int item = Arrays.binarySearch(posts, 0, items, pairs[2 * e]);
            latest[item] = Math.max(latest[item], pairs[2 * e + 1]);
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

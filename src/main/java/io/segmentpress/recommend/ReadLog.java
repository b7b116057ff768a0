package io.segmentpress.recommend;

import java.util.Arrays;

/**
 * Who read what and when, as compact parallel arrays: one entry per (visitor, item) with the
 * time of the latest read. Entries must be appended grouped by visitor (all of one visitor's
 * entries together), which is how the database query returns them.
 */
public final class ReadLog {

    private long[] visitorIds = new long[1024];
    private long[] contentIds = new long[1024];
    private long[] readAtMillis = new long[1024];
    private int size;

    public void add(long visitorId, long contentId, long readAt) {
        if (size == visitorIds.length) {
            int capacity = size * 2;
            visitorIds = Arrays.copyOf(visitorIds, capacity);
            contentIds = Arrays.copyOf(contentIds, capacity);
            readAtMillis = Arrays.copyOf(readAtMillis, capacity);
        }
        visitorIds[size] = visitorId;
        contentIds[size] = contentId;
        readAtMillis[size] = readAt;
        size++;
    }

    public int size() {
        return size;
    }

    long visitorId(int index) {
        return visitorIds[index];
    }

    long contentId(int index) {
        return contentIds[index];
    }

    long readAtMillis(int index) {
        return readAtMillis[index];
    }

    /** End (exclusive) of the run of entries of the visitor starting at {@code start}. */
    int endOfVisitor(int start) {
        int end = start + 1;
        while (end < size && visitorIds[end] == visitorIds[start]) {
            end++;
        }
        return end;
    }
}

package io.segmentpress.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class ReadHistoryTest {

    @Test
    void keepsEachItemOnceWithItsLatestTimeInItemOrder() {
        Random random = new Random(7);
        for (int round = 0; round < 2_000; round++) {
            int events = random.nextInt(60);
            long[] pairs = new long[events * 2 + random.nextInt(3) * 2]; // room to spare: only the given length counts
            Map<Long, Long> expected = new TreeMap<>();
            for (int e = 0; e < events; e++) {
                long postId = random.nextInt(4) == 0 ? random.nextLong() & Long.MAX_VALUE : 1 + random.nextInt(25);
                long at = 1_700_000_000_000L + random.nextInt(1_000_000_000);
                pairs[2 * e] = postId;
                pairs[2 * e + 1] = at;
                expected.merge(postId, at, Math::max);
            }
            ReadHistory read = ReadHistory.of(pairs, events * 2);
            String history = read.text();
            StringBuilder text = new StringBuilder();
            expected.forEach((postId, at) -> text.append(text.length() == 0 ? "" : ",").append(postId).append(':').append(at));
            assertEquals(text.toString(), history);
            Map<Long, Long> parsed = new HashMap<>();
            ReadHistory.parse(history, parsed);
            assertEquals(expected, parsed);
            long[] shuffled = java.util.Arrays.copyOf(pairs, events * 2);
            for (int e = events - 1; e > 0; e--) { // the same events in another order: the same history
                int other = random.nextInt(e + 1);
                long post = shuffled[2 * e];
                long at = shuffled[2 * e + 1];
                shuffled[2 * e] = shuffled[2 * other];
                shuffled[2 * e + 1] = shuffled[2 * other + 1];
                shuffled[2 * other] = post;
                shuffled[2 * other + 1] = at;
            }
            assertEquals(read.fingerprint(), ReadHistory.of(shuffled, events * 2).fingerprint());
            if (events > 0) {
                shuffled[1] += 1; // one time later: another fingerprint (as long as it is that post's latest)
                Map<Long, Long> moved = new TreeMap<>(expected);
                moved.merge(shuffled[0], shuffled[1], Math::max);
                if (!moved.equals(expected)) {
                    assertNotEquals(read.fingerprint(), ReadHistory.of(shuffled, events * 2).fingerprint());
                }
            }
        }
    }

    @Test
    void tooManyItemsKeepNoHistory() {
        long[] pairs = new long[2 * (ReadHistory.MAX_ITEMS + 1)];
        for (int item = 0; item <= ReadHistory.MAX_ITEMS; item++) {
            pairs[2 * item] = item + 1;
            pairs[2 * item + 1] = 1_700_000_000_000L;
        }
        assertNull(ReadHistory.of(pairs, pairs.length).text());
        assertEquals(ReadHistory.MAX_ITEMS, ReadHistory.of(pairs, pairs.length - 2).text().split(",").length);
        assertEquals("", ReadHistory.of(new long[0], 0).text());
    }
}

package io.segmentpress.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
            String history = ReadHistory.write(pairs, events * 2);
            StringBuilder text = new StringBuilder();
            expected.forEach((postId, at) -> text.append(text.length() == 0 ? "" : ",").append(postId).append(':').append(at));
            assertEquals(text.toString(), history);
            Map<Long, Long> parsed = new HashMap<>();
            ReadHistory.parse(history, parsed);
            assertEquals(expected, parsed);
        }
    }

    @Test
    void tooManyItemsKeepNoHistory() {
        long[] pairs = new long[2 * (ReadHistory.MAX_ITEMS + 1)];
        for (int item = 0; item <= ReadHistory.MAX_ITEMS; item++) {
            pairs[2 * item] = item + 1;
            pairs[2 * item + 1] = 1_700_000_000_000L;
        }
        assertNull(ReadHistory.write(pairs, pairs.length));
        assertEquals(ReadHistory.MAX_ITEMS, ReadHistory.write(pairs, pairs.length - 2).split(",").length);
        assertEquals("", ReadHistory.write(new long[0], 0));
    }
}

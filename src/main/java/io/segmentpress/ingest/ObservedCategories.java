package io.segmentpress.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.segmentpress.common.Json;
import io.segmentpress.common.MultiRowInsert;

/**
 * Records, per post, the categories that page calls named most recently ({@code content_observed}):
 * the segment engine's categories for posts the content catalog does not categorize, one row per
 * post instead of the properties of every read.
 *
 * <p>A post's categories rarely change, so a writer skips the posts whose categories it wrote
 * (committed) recently with the same value: on a busy site nearly every group writes nothing
 * here, and no group waits on another's lock on a popular post's row. "Recently" is a few
 * minutes, so a change another replica wrote meanwhile is corrected soon after.
 */
final class ObservedCategories {

    /** A post's categories as one group saw them: the latest page call's (by event time) of the group. */
    record Observation(long siteId, long postId, List<String> categories, Instant observedAt) {
    }

    private record Written(List<String> categories, long atNanos) {
    }

    /** Ordered by site, then post: the order rows are written, and so locked, in. */
    private record Key(long siteId, long postId) implements Comparable<Key> {
        @Override
        public int compareTo(Key other) {
            return siteId != other.siteId ? Long.compare(siteId, other.siteId) : Long.compare(postId, other.postId);
        }
    }

    private static final long REMEMBER_NANOS = TimeUnit.MINUTES.toNanos(5);
    private static final int MAX_REMEMBERED = 100_000;

    private final Map<Key, Written> written = new ConcurrentHashMap<>();

    /** The group's posts whose categories are new to this process or changed, in key order (the lock order). */
    List<Observation> pending(List<IngestWriter.Submission> group) {
        Map<Key, Observation> latest = new TreeMap<>();
        for (IngestWriter.Submission submission : group) {
            for (IncomingEvent event : submission.events()) {
                if (event.categories().isEmpty()) {
                    continue;
                }
                Key key = new Key(submission.siteId(), event.postId());
                Observation seen = latest.get(key);
                if (seen == null || event.occurredAt().isAfter(seen.observedAt())) {
                    latest.put(key, new Observation(key.siteId(), key.postId(), event.categories(), event.occurredAt()));
                }
            }
        }
        if (latest.isEmpty()) {
            return List.of();
        }
        long now = System.nanoTime();
        List<Observation> pending = new ArrayList<>();
        latest.forEach((key, observation) -> {
            Written last = written.get(key);
            if (last == null || !last.categories().equals(observation.categories()) || now - last.atNanos() > REMEMBER_NANOS) {
                pending.add(observation);
            }
        });
        return pending;
    }

    /**
     * Writes the observations in the caller's transaction. A row keeps the categories of the
     * latest page call by event time, so a backfilled older call does not override a newer one.
     */
    static void write(Connection connection, List<Observation> observations) throws SQLException {
        if (observations.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>(observations.size());
        for (Observation observation : observations) {
            rows.add(new Object[] { observation.siteId(), observation.postId(), Json.write(observation.categories()),
                    Timestamp.from(observation.observedAt()) });
        }
        MultiRowInsert.execute(connection, "INSERT INTO content_observed (site_id, post_id, categories, observed_at)", 4,
                "ON DUPLICATE KEY UPDATE categories = IF(VALUES(observed_at) >= observed_at, VALUES(categories), categories),"
                        + " observed_at = GREATEST(observed_at, VALUES(observed_at))",
                rows);
    }

    /** After the commit: these need not be written again for a while. */
    void committed(List<Observation> observations) {
        if (observations.isEmpty()) {
            return;
        }
        if (written.size() > MAX_REMEMBERED) {
            written.clear();
        }
        long now = System.nanoTime();
        for (Observation observation : observations) {
            written.put(new Key(observation.siteId(), observation.postId()), new Written(observation.categories(), now));
        }
    }
}

package io.segmentpress.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.segmentpress.TestSites;
import io.segmentpress.TestSites.TestSite;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.segment.SegmentDb;

@QuarkusTest
class ServedLogTest {

    @Inject
    ServedLog servedLog;

    @Inject
    AppClock clock;

    @Inject
    DataSource dataSource;

    @Test
    void listsCountedWhileTheCountsAreBeingWrittenAreNeitherLostNorCountedTwice() throws Exception {
        TestSite site = TestSites.create();
        List<List<String>> audiences = List.of(List.of(), List.of("stage:awareness"), List.of("bargain-hunters", "stage:decision"));
        int threads = 4;
        int listsPerThread = 5_000;
        Instant servedAt = clock.now();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> serving = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < listsPerThread; i++) {
                    List<String> segments = audiences.get(i % audiences.size());
                    servedLog.record(site.id(), i % 5 == 0 ? ExperimentSettings.CONTROL : ExperimentSettings.RANKED,
                            ServedLog.audienceOf(segments), segments, servedAt);
                }
            });
            serving.add(thread);
            thread.start();
        }
        start.countDown();
        boolean anyAlive = true;
        while (anyAlive) {
            servedLog.flush(); // written while the lists are still being counted
            anyAlive = serving.stream().anyMatch(Thread::isAlive);
        }
        for (Thread thread : serving) {
            thread.join();
        }
        servedLog.flush();

        SegmentDb db = new SegmentDb(dataSource);
        assertEquals(threads * listsPerThread, db.count("SELECT SUM(lists) FROM recommendation_served_count WHERE site_id = ?", site.id()));
        assertEquals(threads * listsPerThread / 5, db.count(
                "SELECT SUM(lists) FROM recommendation_served_count WHERE site_id = ? AND variant = 'control'", site.id()));
        // one counter per audience and variant in the period: the concurrent writes added up, not duplicated rows
        assertEquals(6, db.count("SELECT COUNT(*) FROM recommendation_served_count WHERE site_id = ?", site.id()));
        assertEquals(2, db.count("SELECT COUNT(*) FROM recommendation_audience WHERE site_id = ?", site.id()), "the empty set is no audience");
        long withoutSegments = threads * ((listsPerThread + 2) / 3); // i % 3 == 0 for i below listsPerThread
        assertEquals(withoutSegments, db.count("SELECT SUM(lists) FROM recommendation_served_count WHERE site_id = ? AND audience_id = 0",
                site.id()), "lists without segments, under audience 0");
    }
}

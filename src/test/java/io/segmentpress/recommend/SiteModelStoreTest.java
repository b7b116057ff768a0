package io.segmentpress.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.inject.Vetoed;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.segmentpress.content.ContentChanged;
import io.segmentpress.recommend.CatalogItem.Term;
import io.segmentpress.recommend.ModelLoader.CatalogMark;

/**
 * The model store builds behavior statistics in the background: requests during a (re)build are
 * answered at once from the catalog or the model in place, and content changes still show in the
 * next list. The database is stood in for by a loader whose behavior scan waits for a go.
 */
class SiteModelStoreTest {

    private static final long SITE = 7;
    private static final long DAY = 86_400_000L;
    private static final Duration FIRST_BUILD_WAIT = Duration.ofSeconds(1);
    /** Answered without waiting for a blocked scan: at most the first-build wait plus a generous margin for a loaded machine. */
    private static final long PROMPT_MILLIS = 5_000;

    private final FakeLoader loader = new FakeLoader();
    private final FixedClockStore store = new FixedClockStore(loader);

    @AfterEach
    void stopBuilder() {
        loader.open();
        store.stop();
    }

    @Test
    void firstRequestIsAnsweredFromTheCatalogWhileTheStatisticsAreStillBuilding() throws Exception {
        loader.setCatalog(30);
        loader.readers(12, 3); // post 3 is what everybody reads
        loader.close();

        long started = System.nanoTime();
        SiteModelStore.Entry entry = store.entry(SITE);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMillis < PROMPT_MILLIS, "answered after " + tookMillis + " ms");
        assertEquals(30, entry.model.size(), "the whole catalog");
        assertEquals(0, entry.statsBuiltAtMillis, "statistics still building");
        List<Recommended> coldStart = rank(entry.model, Map.of(1L, store.now().toEpochMilli()));
        assertEquals(5, coldStart.size());
        assertFalse(ids(coldStart).contains(1L), "read items stay excluded: " + ids(coldStart));

        // later requests do not wait either, and nobody builds a second time
        started = System.nanoTime();
        store.entry(SITE);
        assertTrue((System.nanoTime() - started) / 1_000_000 < PROMPT_MILLIS);

        loader.open();
        assertTrue(store.awaitStats(SITE, Duration.ofSeconds(10)));
        SiteModel built = store.entry(SITE).model;
        assertTrue(built.popularity(built.indexOf(3)) > 0, "statistics swapped in");
        assertEquals(3L, Ranker.mostPopular(built, VisitorContext.unknown(), new RankRequest(1, null, null, Set.of())).get(0).item().contentId());
        assertEquals(1, loader.scans.get());
    }

    @Test
    void smallSiteIsAnsweredWithItsStatisticsOnTheFirstRequest() {
        loader.setCatalog(10);
        loader.readers(5, 4);
        SiteModelStore.Entry entry = store.entry(SITE);
        assertTrue(entry.statsBuiltAtMillis > 0, "built within first-build-wait");
        assertEquals(4L, Ranker.mostPopular(entry.model, VisitorContext.unknown(), new RankRequest(1, null, null, Set.of())).get(0).item().contentId());
    }

    @Test
    void requestsDuringAStatisticsRefreshAreServedFromTheModelInPlace() throws Exception {
        loader.setCatalog(20);
        loader.readers(6, 2);
        SiteModel first = store.entry(SITE).model;

        loader.readers(6, 5);
        loader.close();
        store.advance(Duration.ofMinutes(6)); // past behavior-refresh
        long started = System.nanoTime();
        store.maintain();
        assertTrue((System.nanoTime() - started) / 1_000_000 < PROMPT_MILLIS, "maintenance only queues the rebuild");
        waitUntil(() -> loader.scans.get() == 2);

        started = System.nanoTime();
        assertSame(first, store.entry(SITE).model, "the model in place while the rebuild runs");
        assertTrue((System.nanoTime() - started) / 1_000_000 < PROMPT_MILLIS);

        loader.open();
        waitUntil(() -> store.entry(SITE).model != first);
        SiteModel refreshed = store.entry(SITE).model;
        assertTrue(refreshed.popularity(refreshed.indexOf(5)) > 0, "new statistics");
    }

    @Test
    void contentChangedThroughThisReplicaIsInTheNextListWhileStatisticsRebuild() throws Exception {
        loader.setCatalog(20);
        loader.readers(6, 3);
        SiteModel first = store.entry(SITE).model;
        loader.close();
        store.advance(Duration.ofMinutes(6));
        store.maintain(); // a statistics rebuild now hangs in the background

        loader.unpublish(2);
        loader.publish(post(99, 0));
        store.onContentChanged(new ContentChanged(SITE, 2));
        store.onContentChanged(new ContentChanged(SITE, 99));
        long started = System.nanoTime();
        SiteModel next = store.entry(SITE).model;
        assertTrue((System.nanoTime() - started) / 1_000_000 < PROMPT_MILLIS);
        assertNotSame(first, next);
        assertEquals(-1, next.indexOf(2), "unpublished: gone");
        assertTrue(next.indexOf(99) >= 0, "published: in");
        assertTrue(next.popularity(next.indexOf(3)) > 0, "statistics kept meanwhile");
        List<Long> list = ids(Ranker.rank(next, VisitorContext.unknown(), new RankRequest(20, null, null, Set.of()), store.now().toEpochMilli(),
                RankingWeights.defaults()));
        assertFalse(list.contains(2L), list.toString());
    }

    @Test
    void contentChangedOnAnotherReplicaIsPickedUpByMaintenanceWhileStatisticsRebuild() throws Exception {
        loader.setCatalog(20);
        loader.readers(6, 2);
        store.entry(SITE);
        loader.close();
        store.advance(Duration.ofMinutes(6));
        store.maintain();
        waitUntil(() -> loader.scans.get() == 2);

        loader.unpublish(7); // changes the catalog mark, as a write through another replica would
        store.maintain();
        assertEquals(-1, store.entry(SITE).model.indexOf(7));
    }

    @Test
    void aSlowOlderStatisticsBuildNeverReplacesANewerOne() throws Exception {
        loader.setCatalog(20);
        loader.readers(6, 2);
        loader.close();
        store.entry(SITE); // the background build hangs with the reads of post 2

        loader.readers(6, 9);
        loader.openFromNowOn();
        store.rebuild(SITE); // a newer build, with the reads of post 9, finishes first
        SiteModel rebuilt = store.entry(SITE).model;
        assertTrue(rebuilt.popularity(rebuilt.indexOf(9)) > 0, "popularity of 9: " + rebuilt.popularity(rebuilt.indexOf(9)) + " of 2: " + rebuilt.popularity(rebuilt.indexOf(2)));

        loader.open();
        waitUntil(() -> loader.finished.get() == 2);
        SiteModel after = store.entry(SITE).model;
        assertTrue(after.popularity(after.indexOf(9)) > 0, "the newer statistics stay");
        assertEquals(0, after.popularity(after.indexOf(2)));
    }

    private static List<Recommended> rank(SiteModel model, Map<Long, Long> reads) {
        VisitorContext visitor = new VisitorContext(1L, List.of(VisitorContext.DEFAULT_STAGE), VisitorContext.DEFAULT_STAGE, Map.of(), reads);
        return Ranker.rank(model, visitor, new RankRequest(5, null, null, Set.of()), System.currentTimeMillis(), RankingWeights.defaults());
    }

    private static List<Long> ids(List<Recommended> list) {
        return list.stream().map(r -> r.item().contentId()).toList();
    }

    private static CatalogItem post(long id, int ageDays) {
        return new CatalogItem(id, "Post " + id, "https://example.test/" + id, "post", System.currentTimeMillis() - ageDays * DAY,
                List.of(new Term("topic-" + id % 3, "Topic " + id % 3)), List.of(), null, 800, false, null);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(10);
        }
    }

    private static RecommendConfig config() {
        Map<String, Object> values = Map.of("freshnessHalfLife", Duration.ofDays(14), "behaviorWindow", Duration.ofDays(30),
                "behaviorRefresh", Duration.ofMinutes(5), "catalogPoll", Duration.ofSeconds(1), "idleEviction", Duration.ofHours(1),
                "firstBuildWait", FIRST_BUILD_WAIT);
        return (RecommendConfig) Proxy.newProxyInstance(RecommendConfig.class.getClassLoader(), new Class<?>[] { RecommendConfig.class },
                (proxy, method, args) -> {
                    if (!values.containsKey(method.getName())) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return values.get(method.getName());
                });
    }

    /** The store with a clock the test moves. */
    @Vetoed
    static final class FixedClockStore extends SiteModelStore {
        private final AtomicLong nowMillis = new AtomicLong(System.currentTimeMillis());

        FixedClockStore(ModelLoader loader) {
            this.loader = loader;
            this.config = config();
        }

        @Override
        Instant now() {
            return Instant.ofEpochMilli(nowMillis.get());
        }

        void advance(Duration by) {
            nowMillis.addAndGet(by.toMillis());
        }
    }

    /** One site's catalog in memory, and a behavior scan that can be held until the test opens the gate. */
    @Vetoed
    static final class FakeLoader extends ModelLoader {
        private final List<CatalogItem> catalog = new CopyOnWriteArrayList<>();
        private final AtomicLong catalogVersion = new AtomicLong();
        private volatile ReadLog reads = new ReadLog();
        private static final CountDownLatch OPEN = new CountDownLatch(0);
        private final List<CountDownLatch> closed = new CopyOnWriteArrayList<>();
        private volatile CountDownLatch gate = OPEN;
        final AtomicInteger scans = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();

        void setCatalog(int posts) {
            catalog.clear();
            for (int id = 1; id <= posts; id++) {
                catalog.add(post(id, id));
            }
            catalogVersion.incrementAndGet();
        }

        void publish(CatalogItem item) {
            catalog.add(item);
            catalogVersion.incrementAndGet();
        }

        void unpublish(long contentId) {
            catalog.removeIf(item -> item.contentId() == contentId);
            catalogVersion.incrementAndGet();
        }

        /** {@code readers} visitors who each read {@code contentId} an hour ago. */
        void readers(int readers, long contentId) {
            ReadLog log = new ReadLog();
            for (int visitor = 1; visitor <= readers; visitor++) {
                log.add(visitor, contentId, System.currentTimeMillis() - 3_600_000L);
            }
            reads = log;
        }

        /** Scans from now on wait for {@link #open()}. */
        void close() {
            gate = new CountDownLatch(1);
            closed.add(gate);
        }

        /** Lets waiting scans finish; later scans do not wait. */
        void open() {
            gate = OPEN;
            closed.forEach(CountDownLatch::countDown);
        }

        /** Later scans do not wait; the ones already waiting keep waiting. */
        void openFromNowOn() {
            gate = OPEN;
        }

        @Override
        List<CatalogItem> catalog(long siteId) {
            return List.copyOf(catalog);
        }

        @Override
        BehaviorStats behavior(long siteId, Instant since, Instant now) {
            ReadLog snapshot = reads;
            CountDownLatch waitFor = gate;
            scans.incrementAndGet();
            try {
                waitFor.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.incrementAndGet();
            return BehaviorStats.build(snapshot, Map.of(), now.toEpochMilli(), 20, 20, 200);
        }

        @Override
        Map<Long, CatalogMark> catalogMarks(List<Long> siteIds) {
            return Map.of(SITE, new CatalogMark(catalog.size(), catalogVersion.get()));
        }

        @Override
        Map<Long, String> siteSettings(List<Long> siteIds) {
            return Map.of();
        }
    }
}

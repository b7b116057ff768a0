package io.segmentpress.recommend;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.segmentpress.common.time.AppClock;
import io.segmentpress.content.ContentChanged;
import io.segmentpress.recommend.ModelLoader.CatalogMark;

/**
 * This replica's recommendation models, one per site that asked for recommendations recently.
 *
 * <p>A site's first request loads only its catalog (bounded by the number of posts, not by the
 * events) and is answered from that model if the behavior statistics are not ready within
 * {@code first-build-wait}; the statistics (a scan of the site's recent reads, seconds on a big
 * site) are built in the background by one builder thread and swapped in when done. Requests
 * never wait for a statistics build: while one runs they are served from the model in place.
 *
 * <p>{@link #maintain()} (every {@code catalog-poll}) reloads the catalog of any site whose
 * content changed — on any replica, detected by row count and last sync time — picks up changed
 * experiment settings, queues a statistics rebuild for sites whose statistics are older than
 * {@code behavior-refresh}, and forgets idle sites. Nothing here is needed after a restart.
 */
@ApplicationScoped
public class SiteModelStore {

    private static final Logger LOG = Logger.getLogger(SiteModelStore.class);

    /** A site's current model and what it was built from. */
    static final class Entry {
        volatile SiteModel model;
        volatile CatalogMark mark;
        volatile String settingsJson;
        volatile ExperimentSettings settings;
        /** When the statistics in {@link #model} were built; 0 while it has none yet. */
        volatile long statsBuiltAtMillis;
        volatile long lastUsedMillis;
        /** When the site's first request on this replica arrived. */
        final long createdNanos = System.nanoTime();
        /** Completes when the first statistics build has ended (built or failed). */
        final CompletableFuture<Void> firstStats = new CompletableFuture<>();
        /** A statistics build is queued or running. */
        final AtomicBoolean statsQueued = new AtomicBoolean();
        /** Numbers catalog loads and statistics builds as they start, so a slow older one never replaces a newer result. */
        final AtomicLong builds = new AtomicLong();
        long catalogBuild;
        long statsBuild;
    }

    /** Completes once the site's catalog model is in place. */
    private final Map<Long, CompletableFuture<Entry>> entries = new ConcurrentHashMap<>();
    /** Sites whose catalog changed through this replica since their model was built. */
    private final Set<Long> staleCatalogs = ConcurrentHashMap.newKeySet();
    /** Builds behavior statistics one site at a time, so a big site's scan takes one core at most. */
    private final ExecutorService builder = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "recommend-model-builder");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    ModelLoader loader;

    @Inject
    RecommendConfig config;

    @Inject
    AppClock clock;

    /**
     * The site's model entry. A site this replica has no model of gets its catalog loaded now and
     * its statistics built in the background; requests wait for them until {@code first-build-wait}
     * after that first request arrived, and are answered from the catalog alone after that.
     */
    Entry entry(long siteId) {
        Entry entry = catalogEntry(siteId);
        entry.lastUsedMillis = System.currentTimeMillis();
        if (staleCatalogs.remove(siteId)) {
            // content changed through this replica: the next list already reflects it
            reloadCatalog(siteId, entry, loader.catalogMarks(List.of(siteId)).getOrDefault(siteId, CatalogMark.NONE));
        }
        long waitNanos = config.firstBuildWait().toNanos() - (System.nanoTime() - entry.createdNanos);
        if (!entry.firstStats.isDone() && waitNanos > 0) {
            try {
                entry.firstStats.get(waitNanos, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // answered from the catalog alone; the statistics arrive with a later request
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return entry;
    }

    /** The site's entry with at least its catalog loaded; the first caller loads it, concurrent ones wait for that. */
    private Entry catalogEntry(long siteId) {
        CompletableFuture<Entry> created = new CompletableFuture<>();
        CompletableFuture<Entry> existing = entries.putIfAbsent(siteId, created);
        if (existing == null) {
            try {
                Entry entry = loadCatalogModel(siteId);
                created.complete(entry);
                queueStats(siteId, entry);
            } catch (RuntimeException e) {
                entries.remove(siteId, created);
                created.completeExceptionally(e);
                throw e;
            }
            existing = created;
        }
        try {
            return existing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the recommendation catalog was loaded", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("loading the recommendation catalog failed", e.getCause());
        }
    }

    /** The site's current model. */
    public SiteModel model(long siteId) {
        return entry(siteId).model;
    }

    /**
     * Content was published, changed, unpublished or deleted through this replica: the site's
     * catalog is reloaded before its next list (once per batch, however many items changed).
     * Other replicas notice within {@code catalog-poll}.
     */
    void onContentChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) ContentChanged change) {
        if (entries.containsKey(change.siteId())) {
            staleCatalogs.add(change.siteId());
        }
    }

    /** Applies new experiment settings on this replica at once (other replicas follow within a second). */
    void settingsChanged(long siteId, String settingsJson) {
        CompletableFuture<Entry> future = entries.get(siteId);
        if (future != null && future.isDone() && !future.isCompletedExceptionally()) {
            Entry entry = future.join();
            entry.settingsJson = settingsJson;
            entry.settings = ExperimentSettings.fromSiteSettings(settingsJson);
        }
    }

    /** Rebuilds the site's whole model (catalog, settings and statistics) from the database, in the calling thread. */
    public void rebuild(long siteId) {
        Entry entry = catalogEntry(siteId);
        reloadCatalog(siteId, entry, loader.catalogMarks(List.of(siteId)).getOrDefault(siteId, CatalogMark.NONE));
        settingsChanged(siteId, loader.siteSettings(List.of(siteId)).get(siteId));
        refreshStats(siteId, entry);
        entry.firstStats.complete(null);
    }

    /**
     * Waits until the site's model has behavior statistics (or their first build failed); false
     * when that took longer than {@code timeout} or the site has no model on this replica.
     */
    boolean awaitStats(long siteId, Duration timeout) throws InterruptedException {
        CompletableFuture<Entry> future = entries.get(siteId);
        if (future == null) {
            return false;
        }
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS).firstStats.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        }
    }

    /** Keeps models current; runs every {@code catalog-poll} on every replica (each keeps its own models). */
    public void maintain() {
        long now = System.currentTimeMillis();
        List<Long> siteIds = new ArrayList<>();
        entries.forEach((siteId, future) -> {
            if (!future.isDone() || future.isCompletedExceptionally()) {
                return;
            }
            if (now - future.join().lastUsedMillis > config.idleEviction().toMillis()) {
                entries.remove(siteId, future);
            } else {
                siteIds.add(siteId);
            }
        });
        if (siteIds.isEmpty()) {
            return;
        }
        Map<Long, CatalogMark> marks = loader.catalogMarks(siteIds);
        Map<Long, String> settings = loader.siteSettings(siteIds);
        for (Long siteId : siteIds) {
            Entry entry = entries.get(siteId).join();
            CatalogMark mark = marks.getOrDefault(siteId, CatalogMark.NONE);
            if (staleCatalogs.remove(siteId) || !mark.equals(entry.mark)) {
                reloadCatalog(siteId, entry, mark);
            }
            String json = settings.get(siteId);
            if (!java.util.Objects.equals(json, entry.settingsJson)) {
                entry.settingsJson = json;
                entry.settings = ExperimentSettings.fromSiteSettings(json);
            }
        }
        // stale statistics are rebuilt in the background, the stalest first; requests keep the model in place meanwhile
        long nowMillis = now().toEpochMilli();
        siteIds.stream().map(id -> Map.entry(id, entries.get(id).join()))
                .filter(e -> e.getValue().firstStats.isDone() && nowMillis - e.getValue().statsBuiltAtMillis > config.behaviorRefresh().toMillis())
                .sorted(java.util.Comparator.comparingLong(e -> e.getValue().statsBuiltAtMillis))
                .forEach(e -> queueStats(e.getKey(), e.getValue()));
    }

    /** The service clock's now (tests of this class stand in their own). */
    Instant now() {
        return clock.now();
    }

    @PreDestroy
    void stop() {
        builder.shutdownNow();
    }

    /** The catalog and settings of a site, with no behavior statistics yet. */
    private Entry loadCatalogModel(long siteId) {
        Instant now = now();
        Entry entry = new Entry();
        entry.mark = loader.catalogMarks(List.of(siteId)).getOrDefault(siteId, CatalogMark.NONE);
        List<CatalogItem> catalog = loader.catalog(siteId);
        entry.model = new SiteModel(catalog, BehaviorStats.EMPTY, now.toEpochMilli(), config.freshnessHalfLife().toMillis());
        entry.settingsJson = loader.siteSettings(List.of(siteId)).get(siteId);
        entry.settings = ExperimentSettings.fromSiteSettings(entry.settingsJson);
        entry.lastUsedMillis = System.currentTimeMillis();
        LOG.debugf("loaded the recommendation catalog of site %d: %d items", siteId, catalog.size());
        return entry;
    }

    /** Queues a statistics build of the site unless one is queued or running already. */
    private void queueStats(long siteId, Entry entry) {
        if (!entry.statsQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            builder.execute(() -> {
                try {
                    refreshStats(siteId, entry);
                } catch (RuntimeException e) {
                    LOG.warnf("building the recommendation statistics of site %d failed, the model keeps its previous ones: %s", siteId,
                            e.getMessage());
                } finally {
                    entry.statsQueued.set(false);
                    entry.firstStats.complete(null);
                }
            });
        } catch (RejectedExecutionException e) {
            entry.statsQueued.set(false); // shutting down
        }
    }

    private void reloadCatalog(long siteId, Entry entry, CatalogMark mark) {
        long build = entry.builds.incrementAndGet();
        List<CatalogItem> catalog = loader.catalog(siteId);
        synchronized (entry) {
            if (build < entry.catalogBuild) {
                return;
            }
            entry.catalogBuild = build;
            entry.mark = mark;
            entry.model = entry.model.withCatalog(catalog, now().toEpochMilli(), config.freshnessHalfLife().toMillis());
        }
    }

    private void refreshStats(long siteId, Entry entry) {
        long build = entry.builds.incrementAndGet();
        Instant now = now();
        BehaviorStats stats = loader.behavior(siteId, now.minus(config.behaviorWindow()), now);
        synchronized (entry) {
            if (build < entry.statsBuild) {
                return;
            }
            entry.statsBuild = build;
            entry.statsBuiltAtMillis = now.toEpochMilli();
            entry.model = entry.model.withStats(stats, now.toEpochMilli(), config.freshnessHalfLife().toMillis());
        }
        LOG.debugf("built the recommendation statistics of site %d: %d readers", siteId, stats.readers());
    }
}

package io.segmentpress.recommend;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

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
 * A model is built on first use; {@link #maintain()} (every second) reloads the catalog of any
 * site whose content changed — on any replica, detected by row count and last sync time — picks
 * up changed experiment settings, rebuilds behavior statistics when they are older than
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
        volatile long statsBuiltAtMillis;
        volatile long lastUsedMillis;
    }

    private final Map<Long, CompletableFuture<Entry>> entries = new ConcurrentHashMap<>();
    /** Sites whose catalog changed through this replica since their model was built. */
    private final Set<Long> staleCatalogs = ConcurrentHashMap.newKeySet();

    @Inject
    ModelLoader loader;

    @Inject
    RecommendConfig config;

    @Inject
    AppClock clock;

    /** The site's model entry, built now if this replica has none. */
    Entry entry(long siteId) {
        CompletableFuture<Entry> created = new CompletableFuture<>();
        CompletableFuture<Entry> existing = entries.putIfAbsent(siteId, created);
        if (existing == null) {
            try {
                created.complete(build(siteId));
            } catch (RuntimeException e) {
                entries.remove(siteId, created);
                created.completeExceptionally(e);
                throw e;
            }
            existing = created;
        }
        try {
            Entry entry = existing.get();
            entry.lastUsedMillis = System.currentTimeMillis();
            if (staleCatalogs.remove(siteId)) {
                // content changed through this replica: the next list already reflects it
                reloadCatalog(siteId, entry, loader.catalogMarks(List.of(siteId)).getOrDefault(siteId, CatalogMark.NONE));
            }
            return entry;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the recommendation model was built", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("building the recommendation model failed", e.getCause());
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

    /** Rebuilds the site's whole model from the database now. */
    public void rebuild(long siteId) {
        CompletableFuture<Entry> future = entries.get(siteId);
        if (future == null) {
            entry(siteId);
            return;
        }
        Entry fresh = build(siteId);
        Entry entry = future.join();
        synchronized (entry) {
            entry.mark = fresh.mark;
            entry.settingsJson = fresh.settingsJson;
            entry.settings = fresh.settings;
            entry.statsBuiltAtMillis = fresh.statsBuiltAtMillis;
            entry.model = fresh.model;
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
        // at most one statistics rebuild per tick, the stalest first, so a tick stays short
        siteIds.stream().map(id -> Map.entry(id, entries.get(id).join()))
                .filter(e -> clock.now().toEpochMilli() - e.getValue().statsBuiltAtMillis > config.behaviorRefresh().toMillis())
                .min(java.util.Comparator.comparingLong(e -> e.getValue().statsBuiltAtMillis))
                .ifPresent(e -> refreshStats(e.getKey(), e.getValue()));
    }

    private Entry build(long siteId) {
        Instant now = clock.now();
        long halfLife = config.freshnessHalfLife().toMillis();
        Entry entry = new Entry();
        entry.mark = loader.catalogMarks(List.of(siteId)).getOrDefault(siteId, CatalogMark.NONE);
        List<CatalogItem> catalog = loader.catalog(siteId);
        BehaviorStats stats = loader.behavior(siteId, now.minus(config.behaviorWindow()), now);
        entry.model = new SiteModel(catalog, stats, now.toEpochMilli(), halfLife);
        entry.statsBuiltAtMillis = now.toEpochMilli();
        entry.settingsJson = loader.siteSettings(List.of(siteId)).get(siteId);
        entry.settings = ExperimentSettings.fromSiteSettings(entry.settingsJson);
        entry.lastUsedMillis = System.currentTimeMillis();
        LOG.debugf("built recommendation model of site %d: %d items, %d readers", siteId, catalog.size(), stats.readers());
        return entry;
    }

    private void reloadCatalog(long siteId, Entry entry, CatalogMark mark) {
        List<CatalogItem> catalog = loader.catalog(siteId);
        synchronized (entry) {
            entry.mark = mark;
            entry.model = entry.model.withCatalog(catalog, clock.now().toEpochMilli(), config.freshnessHalfLife().toMillis());
        }
    }

    private void refreshStats(long siteId, Entry entry) {
        Instant now = clock.now();
        BehaviorStats stats = loader.behavior(siteId, now.minus(config.behaviorWindow()), now);
        synchronized (entry) {
            entry.statsBuiltAtMillis = now.toEpochMilli();
            entry.model = entry.model.withStats(stats, now.toEpochMilli(), config.freshnessHalfLife().toMillis());
        }
    }
}

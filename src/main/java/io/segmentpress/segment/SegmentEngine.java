package io.segmentpress.segment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.segmentpress.common.ClusterLock;
import io.segmentpress.common.MultiRowInsert;
import io.segmentpress.common.error.ApiException;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.segment.rule.CustomSegmentDefinition;
import io.segmentpress.segment.rule.CustomSegments;

/**
 * Computes visitor profiles and segment memberships from raw events and keeps them current.
 *
 * <ul>
 * <li>{@link #drainDirty()} recomputes just the visitors ingest marked in {@code visitor_dirty}
 * (incremental; runs every second).</li>
 * <li>{@link #recomputeSite(long)} recomputes every visitor of a site (full; on demand and on the
 * time-window schedule, so visitors leave windows without new events).</li>
 * </ul>
 * Both paths run the same code per visitor, so they always agree. Only what changed is written: a
 * profile row when anything it holds moved (the evidence of every membership included), a
 * membership row only when the visitor enters or leaves the segment, and a
 * {@code segment_transition} row for each entry and exit.
 */
@ApplicationScoped
public class SegmentEngine {

    private static final Logger LOG = Logger.getLogger(SegmentEngine.class);
    /** Whoever drains dirty visitors holds this cluster lock (tests hold it to keep the scheduled drain out). */
    public static final String DRAIN_LOCK = "segmentpress-segments-drain";
    /** Whoever runs the time-window schedule holds this cluster lock (tests hold it to keep the schedule out). */
    static final String SCHEDULE_LOCK = "segmentpress-segments-recompute";
    private static final Duration SITE_LOCK_WAIT = Duration.ofSeconds(60);
    /** A drain waits this long for a site a full recompute holds, then leaves it for the next round. */
    private static final Duration DRAIN_SITE_LOCK_WAIT = Duration.ofSeconds(5);
    /** A direct call (tests, the API) waits this long for a drain another thread or replica is running. */
    private static final Duration DRAIN_LOCK_WAIT = Duration.ofSeconds(10);
    private static final int MAX_EVIDENCE = 1000;
    private static final int MAX_KEY = 120;
    /** A time-limited drain's rounds hold at least this many visitors, however little time is left. */
    private static final int MIN_ROUND = 50;
    /** Fewer visitors than this per thread are evaluated on the calling thread: handing them over would cost more. */
    private static final int MIN_VISITORS_PER_THREAD = 500;

    @Inject
    DataSource dataSource;

    @Inject
    AppClock clock;

    @Inject
    ClusterLock clusterLock;

    @Inject
    SegmentsConfig config;

    @Inject
    CustomSegments customSegments;

    @Inject
    FullPasses fullPasses;

    private final ExecutorService workers = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "segment-engine");
        thread.setDaemon(true);
        return thread;
    });

    /** The outcome of a recompute: visitors evaluated, memberships they now hold, and the time it took. */
    public record RecomputeResult(int visitors, int memberships, long tookMs) {
    }

    private record SiteContext(long siteId, SiteTime time, SegmentSettings settings, List<CustomSegmentDefinition> custom) {
        boolean hasCustom() {
            return !custom.isEmpty();
        }
    }

    /**
     * One visitor's freshly computed state, ready to be diffed against what is stored. The profile
     * hash covers everything the profile row holds, the evidence of each membership included; the
     * membership hash covers only which segments the visitor is in, so a visitor whose evidence
     * numbers moved but whose segments did not has its profile row rewritten and its memberships
     * left alone.
     */
    private record Computed(VisitorProfile profile, List<SegmentEvaluator.Membership> memberships, String stage, SiteStats.Rfm rfm,
            String interestsJson, String evidenceJson, long profileHash, long membershipHash) {
    }

    private CustomerCache customerCache;
    /** What a drained visitor cost recently (a moving average over rounds), to size a time-limited drain's rounds. */
    private volatile double nanosPerVisitor;

    @PostConstruct
    void start() {
        customerCache = new CustomerCache(config.customerCacheSites());
    }

    /** The customers kept in memory for the site, or null (for tests). */
    CustomerCache.Snapshot cachedCustomers(long siteId) {
        return customerCache.peek(siteId);
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    // ---------------------------------------------------------------- full

    /**
     * Evaluates every segment for every visitor of the site now. Waits up to a minute when
     * another replica is recomputing or draining the same site.
     */
    public RecomputeResult recomputeSite(long siteId) {
        try (ClusterLock.Held ignored = clusterLock.tryAcquire(siteLock(siteId), SITE_LOCK_WAIT)
                .orElseThrow(() -> ApiException.unavailable("Another recompute of this site is running; try again shortly", 30))) {
            return full(siteId);
        } catch (SQLException e) {
            throw new IllegalStateException("segments of site " + siteId + " could not be recomputed", e);
        }
    }

    /**
     * The time-window schedule: re-evaluates every site whose segments can have changed without
     * new events since its last full evaluation (see {@link FullPasses}); returns how many it
     * re-evaluated. Runs in one replica at a time.
     */
    public int recomputeAllSites() {
        Optional<ClusterLock.Held> lock = clusterLock.tryAcquire(SCHEDULE_LOCK, Duration.ZERO);
        if (lock.isEmpty()) {
            return 0;
        }
        int passed = 0;
        fullPasses.notePending();
        try (ClusterLock.Held ignored = lock.get(); Connection connection = dataSource.getConnection()) {
            for (long siteId : SegmentStore.siteIdsWithVisitors(connection)) {
                try {
                    if (recomputeIfDue(connection, siteId)) {
                        passed++;
                    }
                } catch (SQLException | RuntimeException e) {
                    LOG.errorf(e, "scheduled recompute of site %d failed", siteId);
                }
            }
        } catch (SQLException e) {
            LOG.error("scheduled recompute could not list sites", e);
        }
        return passed;
    }

    /** Re-evaluates the site in full when the time-window schedule has to (see {@link FullPasses}); true when it did. */
    boolean recomputeIfDue(long siteId) {
        fullPasses.notePending();
        try (Connection connection = dataSource.getConnection()) {
            return recomputeIfDue(connection, siteId);
        } catch (SQLException e) {
            throw new IllegalStateException("the last full evaluation of site " + siteId + " could not be read", e);
        }
    }

    private boolean recomputeIfDue(Connection connection, long siteId) throws SQLException {
        Optional<SiteContext> context = context(connection, siteId, clock.now());
        if (context.isEmpty() || !FullPasses.due(FullPasses.read(connection, siteId, context.get().time()), context.get().time(),
                config.fullPassMaxAge().toMillis(), context.get().hasCustom())) {
            return false;
        }
        RecomputeResult result = recomputeSite(siteId);
        LOG.debugf("site %d: %d visitors re-evaluated in %d ms", siteId, result.visitors(), result.tookMs());
        return true;
    }

    private RecomputeResult full(long siteId) throws SQLException {
        long started = System.nanoTime();
        Instant now = clock.now();
        try (Connection reader = dataSource.getConnection(); Connection writer = dataSource.getConnection()) {
            Optional<SiteContext> found = context(reader, siteId, now);
            if (found.isEmpty()) {
                throw ApiException.notFound("No site " + siteId);
            }
            SiteContext context = found.get();
            ProfileVersion.Trail trail = new ProfileVersion.Trail(ProfileVersion.current(reader, siteId));
            // claim the site's dirty marks first: events stored after this point mark their visitor again
            DirtyMarks.claimSite(writer, siteId);
            Catalog catalog = SegmentStore.catalog(reader, siteId, null);
            Map<Long, String> userIds = SegmentStore.userIds(reader, siteId, null);

            long prepared = System.nanoTime();
            List<Future<List<VisitorProfile>>> reading = startProfiles(reader, context, catalog, userIds);
            // this thread has nothing else to do while the workers read
            Map<Long, long[]> storedHashes = SegmentStore.storedHashes(reader, siteId, null);
            List<VisitorProfile> profiles = new ArrayList<>();
            for (Future<List<VisitorProfile>> range : reading) {
                profiles.addAll(await(range));
            }
            long read = System.nanoTime();
            long writing = 0;

            List<SiteStats.Customer> customers = new ArrayList<>();
            for (VisitorProfile profile : profiles) {
                addCustomer(customers, profile, context.time());
            }
            SegmentEvaluator evaluator = new SegmentEvaluator(context.settings(), context.time(), SiteStats.of(customers));
            int memberships = 0;
            int chunk = Math.max(100, config.chunkVisitors());
            for (int start = 0; start < profiles.size(); start += chunk) {
                List<VisitorProfile> slice = profiles.subList(start, Math.min(profiles.size(), start + chunk));
                Map<Long, EngineFactsSource> facts = context.hasCustom() ? factsFor(reader, context, slice) : Map.of();
                List<Computed> computed = evaluateAll(context, evaluator, slice, facts);
                long writeStarted = System.nanoTime();
                memberships += write(writer, context, computed, storedHashes, null, now, trail);
                writing += System.nanoTime() - writeStarted;
            }
            // a stored visitor without events now was merged into another (or erased): it leaves every segment
            Set<Long> seen = new HashSet<>(profiles.size() * 2);
            profiles.forEach(profile -> seen.add(profile.visitorId()));
            List<Long> gone = new ArrayList<>();
            for (Long visitorId : storedHashes.keySet()) {
                if (!seen.contains(visitorId)) {
                    gone.add(visitorId);
                }
            }
            remove(writer, siteId, gone, now, trail);
            DirtyMarks.release(writer, siteId, null);
            FullPasses.record(writer, siteId, context.time().today(), now);
            if (trail.unbroken()) {
                Map<Long, SiteStats.Customer> byVisitor = new HashMap<>(customers.size() * 2);
                customers.forEach(customer -> byVisitor.put(customer.visitorId(), customer));
                customerCache.put(siteId, trail.version(), context.time().zone(), byVisitor);
            }
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            LOG.infof("site %d recomputed: %d visitors, %d memberships in %d ms (prepare %d, read and profile %d, evaluate %d, write %d)",
                    siteId, profiles.size(), memberships, tookMs, (prepared - started) / 1_000_000, (read - prepared) / 1_000_000,
                    (System.nanoTime() - read - writing) / 1_000_000, writing / 1_000_000);
            return new RecomputeResult(profiles.size(), memberships, tookMs);
        }
    }

    // ---------------------------------------------------------------- incremental

    /**
     * Recomputes every visitor marked dirty by ingest, site by site, until none is left (or a
     * site is busy with a full recompute elsewhere). Returns the number of visitors recomputed.
     * Runs in one replica at a time.
     */
    public int drainDirty() {
        return drainDirty(Long.MAX_VALUE);
    }

    /**
     * Like {@link #drainDirty()}, but starts no new round once {@code maxNanos} of work are done,
     * and sizes each round to what fits in the time left at the recent cost per visitor: the
     * schedule uses it to work a long drain in short slices with rests between them (see
     * {@link SegmentJobs}).
     */
    public int drainDirty(long maxNanos) {
        Optional<ClusterLock.Held> lock = clusterLock.tryAcquire(DRAIN_LOCK, DRAIN_LOCK_WAIT);
        if (lock.isEmpty()) {
            return 0;
        }
        int drained = 0;
        Set<Long> busySites = new HashSet<>();
        long started = System.nanoTime();
        try (ClusterLock.Held ignored = lock.get(); Connection connection = dataSource.getConnection()) {
            while (System.nanoTime() - started < maxNanos) {
                int limit = roundSize(maxNanos - (System.nanoTime() - started), config.drainBatchSize(), nanosPerVisitor);
                Map<Long, List<Long>> bySite = dirtyBatch(connection, busySites, limit);
                if (bySite.isEmpty()) {
                    return drained;
                }
                long roundStarted = System.nanoTime();
                int round = 0;
                for (Map.Entry<Long, List<Long>> site : bySite.entrySet()) {
                    Optional<ClusterLock.Held> siteLock = clusterLock.tryAcquire(siteLock(site.getKey()), DRAIN_SITE_LOCK_WAIT);
                    if (siteLock.isEmpty()) {
                        busySites.add(site.getKey());
                        continue;
                    }
                    try (ClusterLock.Held held = siteLock.get()) {
                        round += incremental(site.getKey(), site.getValue());
                    }
                }
                if (round > 0) {
                    nanosPerVisitor = nextCostPerVisitor(nanosPerVisitor, (double) (System.nanoTime() - roundStarted) / round);
                }
                drained += round;
            }
            return drained;
        } catch (SQLException e) {
            throw new IllegalStateException("dirty visitors could not be drained", e);
        }
    }

    /**
     * Visitors for the next round: as many as the time left in the slice holds at the recent cost
     * per visitor, between {@link #MIN_ROUND} and {@code maxRound}; {@code maxRound} for an
     * unlimited drain or before any cost is known.
     */
    static int roundSize(long nanosLeft, int maxRound, double nanosPerVisitor) {
        int max = Math.max(1, maxRound);
        if (nanosLeft >= Long.MAX_VALUE / 2 || nanosPerVisitor <= 0) {
            return max;
        }
        double fits = Math.max(0, nanosLeft) / nanosPerVisitor;
        return (int) Math.max(Math.min(MIN_ROUND, max), Math.min(max, fits));
    }

    /**
     * The cost per visitor to plan the next round with: a round that cost more is believed at
     * once (histories grow during a backlog, and an overrun delays ingestion), a cheaper one
     * lowers the estimate gradually.
     */
    static double nextCostPerVisitor(double previous, double measured) {
        return previous <= 0 || measured >= previous ? measured : 0.7 * previous + 0.3 * measured;
    }

    private Map<Long, List<Long>> dirtyBatch(Connection connection, Set<Long> skipSites, int limit) throws SQLException {
        Map<Long, List<Long>> bySite = new TreeMap<>();
        String skip = skipSites.isEmpty() ? "" : " WHERE site_id NOT IN " + MultiRowInsert.placeholders(skipSites.size());
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT site_id, visitor_id FROM visitor_dirty" + skip + " ORDER BY marked_at LIMIT ?")) {
            int index = 1;
            for (Long siteId : skipSites) {
                statement.setLong(index++, siteId);
            }
            statement.setInt(index, limit);
            try (ResultSet rows = statement.executeQuery()) {
                Map<Long, Set<Long>> distinct = new TreeMap<>();
                while (rows.next()) {
                    // a visitor can have two marks: a claim left by a drain that failed, and a newer unclaimed one
                    distinct.computeIfAbsent(rows.getLong(1), id -> new LinkedHashSet<>()).add(rows.getLong(2));
                }
                distinct.forEach((siteId, visitors) -> bySite.put(siteId, new ArrayList<>(visitors)));
            }
        }
        return bySite;
    }

    private int incremental(long siteId, List<Long> visitorIds) throws SQLException {
        Instant now = clock.now();
        long started = System.nanoTime();
        long[] marks = new long[6];
        try (Connection reader = dataSource.getConnection(); Connection writer = dataSource.getConnection()) {
            // claim: a visitor whose events arrive after this is marked again and drained next round
            writer.setAutoCommit(true);
            DirtyMarks.claim(writer, siteId, visitorIds);
            try {
                Optional<SiteContext> found = context(reader, siteId, now);
                if (found.isEmpty()) {
                    DirtyMarks.release(writer, siteId, visitorIds);
                    return 0; // the site is gone; its rows went with it
                }
                SiteContext context = found.get();
                CustomerCache.Snapshot stored = customerCache.take(reader, siteId, context.time());
                ProfileVersion.Trail trail = new ProfileVersion.Trail(stored.version());
                List<Long> existing = SegmentStore.existingVisitors(reader, siteId, visitorIds);
                Set<Long> gone = new LinkedHashSet<>(visitorIds);
                existing.forEach(gone::remove);
                remove(writer, siteId, gone, now, trail);
                if (existing.isEmpty()) {
                    giveBack(siteId, stored, trail, visitorIds, List.of());
                    DirtyMarks.release(writer, siteId, visitorIds);
                    return visitorIds.size();
                }
                Map<Long, String> userIds = SegmentStore.userIds(reader, siteId, existing);
                // what is stored for these visitors is read on a worker while this thread streams their events
                Future<StoredState> storedState = workers.submit(() -> {
                    try (Connection lookups = dataSource.getConnection()) {
                        return new StoredState(SegmentStore.storedHashes(lookups, siteId, existing),
                                SegmentStore.membershipKeys(lookups, siteId, existing));
                    }
                });
                marks[0] = System.nanoTime();
                List<VisitorProfile> profiles = new ArrayList<>();
                Map<Long, EngineFactsSource> facts = new HashMap<>();
                List<ProfileBuilder> builders = stream(reader, context, existing, context.hasCustom());
                marks[1] = System.nanoTime();
                Set<Long> postIds = new HashSet<>();
                builders.forEach(builder -> builder.collectPostIds(postIds));
                Catalog catalog = SegmentStore.catalog(reader, siteId, postIds);
                Map<Long, String> properties = uncataloguedProperties(reader, builders, catalog);
                for (ProfileBuilder builder : builders) {
                    VisitorProfile profile = builder.build(userIds.get(builder.visitorId()), catalog, properties);
                    profiles.add(profile);
                    if (context.hasCustom()) {
                        facts.put(builder.visitorId(), new EngineFactsSource(builder.facts(), builder.traits()));
                    }
                }
                marks[2] = System.nanoTime();
                Set<Long> drainedIds = new HashSet<>(visitorIds);
                List<SiteStats.Customer> customers = new ArrayList<>(stored.customers().size() + profiles.size());
                for (SiteStats.Customer customer : stored.customers().values()) {
                    if (!drainedIds.contains(customer.visitorId())) {
                        customers.add(customer);
                    }
                }
                marks[3] = System.nanoTime();
                List<SiteStats.Customer> drainedCustomers = new ArrayList<>();
                for (VisitorProfile profile : profiles) {
                    addCustomer(drainedCustomers, profile, context.time());
                }
                customers.addAll(drainedCustomers);
                SegmentEvaluator evaluator = new SegmentEvaluator(context.settings(), context.time(), SiteStats.of(customers));
                List<Computed> computed = evaluateAll(context, evaluator, profiles, facts);
                // visitors with a visitor row but no events (all erased) lose their profile too
                Set<Long> withoutEvents = new HashSet<>(existing);
                profiles.forEach(profile -> withoutEvents.remove(profile.visitorId()));
                remove(writer, siteId, withoutEvents, now, trail);
                marks[4] = System.nanoTime();
                StoredState state = await(storedState);
                marks[5] = System.nanoTime();
                write(writer, context, computed, state.hashes(), state.keys(), now, trail);
                DirtyMarks.release(writer, siteId, visitorIds);
                giveBack(siteId, stored, trail, visitorIds, drainedCustomers);
                long tookMs = (System.nanoTime() - started) / 1_000_000;
                if (tookMs > 1000 || LOG.isDebugEnabled()) {
                    LOG.logf(tookMs > 1000 ? Logger.Level.INFO : Logger.Level.DEBUG,
                            "site %d: %d dirty visitors in %d ms (prepare %d, read %d, profile %d, customers %d, evaluate %d, "
                                    + "waiting for the stored state %d, write %d)",
                            siteId, visitorIds.size(), tookMs, (marks[0] - started) / 1_000_000, (marks[1] - marks[0]) / 1_000_000,
                            (marks[2] - marks[1]) / 1_000_000, (marks[3] - marks[2]) / 1_000_000, (marks[4] - marks[3]) / 1_000_000,
                            (marks[5] - marks[4]) / 1_000_000, (System.nanoTime() - marks[5]) / 1_000_000);
                }
                return visitorIds.size();
            } catch (SQLException | RuntimeException e) {
                unclaim(writer, siteId, visitorIds, now);
                throw e;
            }
        }
    }

    /** Returns the site's customers to the cache as the drain left them, unless someone else wrote in between. */
    private void giveBack(long siteId, CustomerCache.Snapshot stored, ProfileVersion.Trail trail, Collection<Long> drained,
            List<SiteStats.Customer> drainedCustomers) {
        if (trail.unbroken()) {
            CustomerCache.replace(stored.customers(), drained, drainedCustomers);
            customerCache.put(siteId, trail.version(), stored.zone(), stored.customers());
        }
    }

    private void unclaim(Connection connection, long siteId, List<Long> visitorIds, Instant now) {
        try {
            connection.setAutoCommit(true);
            DirtyMarks.unclaim(connection, siteId, visitorIds, now);
        } catch (SQLException e) {
            LOG.errorf(e, "the claims on %d visitors of site %d could not be given back; the next drain retries them",
                    visitorIds.size(), siteId);
        }
    }

    // ---------------------------------------------------------------- computing

    private Optional<SiteContext> context(Connection connection, long siteId, Instant now) throws SQLException {
        Optional<SegmentStore.SiteRow> site = SegmentStore.site(connection, siteId);
        if (site.isEmpty()) {
            return Optional.empty();
        }
        List<CustomSegmentDefinition> custom;
        try {
            custom = customSegments.forSite(siteId);
        } catch (RuntimeException e) {
            LOG.errorf(e, "custom segments of site %d cannot be read; evaluating built-in segments only", siteId);
            custom = List.of();
        }
        return Optional.of(new SiteContext(siteId, SiteTime.of(now, site.get().zone()),
                SegmentSettings.fromSiteSettings(site.get().settings()), custom));
    }

    /** Streams the visitors' events and folds them into one builder per visitor, in visitor order. */
    private static List<ProfileBuilder> stream(Connection reader, SiteContext context, Collection<Long> visitorIds, boolean withPayload)
            throws SQLException {
        List<ProfileBuilder> builders = new ArrayList<>();
        ProfileBuilder[] current = new ProfileBuilder[1];
        SegmentStore.streamEvents(reader, context.siteId(), visitorIds, withPayload, event -> {
            if (current[0] == null || current[0].visitorId() != event.visitorId()) {
                current[0] = new ProfileBuilder(event.visitorId(), context.time(), context.settings(), withPayload);
                builders.add(current[0]);
            }
            current[0].accept(event);
        });
        return builders;
    }

    /**
     * Full recompute, first phase: the site's visitors are split into id ranges, and each range's
     * events are read in one ordered index scan on its own connection and thread and folded
     * into profiles. Returns the ranges being read, in visitor order.
     */
    private List<Future<List<VisitorProfile>>> startProfiles(Connection reader, SiteContext context, Catalog catalog,
            Map<Long, String> userIds) throws SQLException {
        long[] range = SegmentStore.visitorIdRange(reader, context.siteId());
        if (range == null) {
            return List.of();
        }
        int threads = Math.max(1, config.threads());
        long span = (range[1] - range[0]) / threads + 1;
        List<Future<List<VisitorProfile>>> pending = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            long[] part = { range[0] + i * span, Math.min(range[1], range[0] + (i + 1) * span - 1) };
            if (part[0] > range[1]) {
                break;
            }
            pending.add(workers.submit(() -> {
                try (Connection connection = dataSource.getConnection()) {
                    RangeFolder folder = new RangeFolder(context, catalog, userIds);
                    SegmentStore.streamEvents(connection, context.siteId(), null, part, false, folder);
                    return folder.finish(connection);
                }
            }));
        }
        return pending;
    }

    /**
     * Folds one id range's event stream into profiles in visitor order, building each profile as
     * soon as its visitor's last event is in, so only a handful of builders (with every read they
     * hold) are alive at a time. Visitors who read pages the catalog has no categories for wait
     * until the end, when those pages' properties are fetched in one go.
     */
    private static final class RangeFolder implements java.util.function.Consumer<EventRow> {
        private final SiteContext context;
        private final Catalog catalog;
        private final Map<Long, String> userIds;
        private final List<VisitorProfile> profiles = new ArrayList<>();
        private final Map<Integer, ProfileBuilder> waiting = new LinkedHashMap<>();
        private final Set<Long> uncataloguedReads = new HashSet<>();
        private ProfileBuilder current;

        RangeFolder(SiteContext context, Catalog catalog, Map<Long, String> userIds) {
            this.context = context;
            this.catalog = catalog;
            this.userIds = userIds;
        }

        @Override
        public void accept(EventRow event) {
            if (current == null || current.visitorId() != event.visitorId()) {
                close();
                current = new ProfileBuilder(event.visitorId(), context.time(), context.settings(), false);
            }
            current.accept(event);
        }

        private void close() {
            if (current == null) {
                return;
            }
            int known = uncataloguedReads.size();
            current.collectUncataloguedReads(catalog, uncataloguedReads);
            if (uncataloguedReads.size() == known) {
                profiles.add(current.build(userIds.get(current.visitorId()), catalog, Map.of()));
            } else {
                waiting.put(profiles.size(), current);
                profiles.add(null);
            }
            current = null;
        }

        List<VisitorProfile> finish(Connection lookups) throws SQLException {
            close();
            if (!waiting.isEmpty()) {
                Map<Long, String> properties = SegmentStore.properties(lookups, uncataloguedReads);
                waiting.forEach((index, builder) -> profiles.set(index, builder.build(userIds.get(builder.visitorId()), catalog, properties)));
            }
            return profiles;
        }
    }

    private static Map<Long, String> uncataloguedProperties(Connection connection, List<ProfileBuilder> builders, Catalog catalog)
            throws SQLException {
        Set<Long> eventIds = new HashSet<>();
        builders.forEach(builder -> builder.collectUncataloguedReads(catalog, eventIds));
        return eventIds.isEmpty() ? Map.of() : SegmentStore.properties(connection, eventIds);
    }

    /** Events and traits of a chunk of visitors, for custom rules (full recompute, second phase). */
    private Map<Long, EngineFactsSource> factsFor(Connection reader, SiteContext context, List<VisitorProfile> profiles)
            throws SQLException {
        List<Long> ids = profiles.stream().map(VisitorProfile::visitorId).toList();
        Map<Long, EngineFactsSource> facts = new HashMap<>();
        for (ProfileBuilder builder : stream(reader, context, ids, true)) {
            facts.put(builder.visitorId(), new EngineFactsSource(builder.facts(), builder.traits()));
        }
        return facts;
    }

    /** What is stored for a batch of drained visitors: profile hashes and the keys of their current memberships. */
    private record StoredState(Map<Long, long[]> hashes, Map<Long, List<String>> keys) {
    }

    private record EngineFactsSource(List<io.segmentpress.segment.rule.EventFact> events, Map<String, Object> traits) {
    }

    private static void addCustomer(List<SiteStats.Customer> customers, VisitorProfile profile, SiteTime time) {
        if (profile.isCustomer()) {
            customers.add(new SiteStats.Customer(profile.visitorId(), time.day(profile.lastOrderMillis()), profile.orderCount(),
                    profile.revenue(), profile.averageOrderValue()));
        }
    }

    /**
     * Evaluates the visitors in order, split over the worker threads: the database has nothing to
     * do meanwhile, so both cores can. (Evaluation needs the whole site's customer statistics,
     * which is why it cannot start while the events are still being read.)
     */
    private List<Computed> evaluateAll(SiteContext context, SegmentEvaluator evaluator, List<VisitorProfile> profiles,
            Map<Long, EngineFactsSource> facts) {
        int threads = Math.max(1, Math.min(config.threads(), profiles.size() / MIN_VISITORS_PER_THREAD));
        if (threads == 1) {
            return evaluatePart(context, evaluator, profiles, facts);
        }
        int span = (profiles.size() + threads - 1) / threads;
        List<Future<List<Computed>>> parts = new ArrayList<>();
        for (int start = 0; start < profiles.size(); start += span) {
            List<VisitorProfile> part = profiles.subList(start, Math.min(profiles.size(), start + span));
            parts.add(workers.submit(() -> evaluatePart(context, evaluator, part, facts)));
        }
        List<Computed> computed = new ArrayList<>(profiles.size());
        for (Future<List<Computed>> part : parts) {
            computed.addAll(await(part));
        }
        return computed;
    }

    private List<Computed> evaluatePart(SiteContext context, SegmentEvaluator evaluator, List<VisitorProfile> profiles,
            Map<Long, EngineFactsSource> facts) {
        List<Computed> computed = new ArrayList<>(profiles.size());
        for (VisitorProfile profile : profiles) {
            computed.add(evaluate(context, evaluator, profile, facts.get(profile.visitorId())));
        }
        return computed;
    }

    private static <T> T await(Future<T> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("recompute interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("segments could not be computed", e.getCause());
        }
    }

    private Computed evaluate(SiteContext context, SegmentEvaluator evaluator, VisitorProfile profile, EngineFactsSource facts) {
        SegmentEvaluator.Result result = evaluator.evaluate(profile);
        List<SegmentEvaluator.Membership> memberships = new ArrayList<>(result.memberships());
        if (context.hasCustom()) {
            Set<String> keys = new LinkedHashSet<>();
            Set<String> interests = new LinkedHashSet<>();
            for (SegmentEvaluator.Membership membership : memberships) {
                keys.add(membership.key());
                if (membership.key().startsWith(BuiltInSegment.INTEREST_PREFIX)) {
                    interests.add(membership.key().substring(BuiltInSegment.INTEREST_PREFIX.length()));
                }
            }
            EngineFacts visitorFacts = new EngineFacts(context.time().now(), context.time().zone(),
                    facts == null ? List.of() : facts.events(), facts == null ? Map.of() : facts.traits(), keys, interests, result.stage());
            for (CustomSegmentDefinition definition : context.custom()) {
                try {
                    if (definition.rule().matches(visitorFacts)) {
                        memberships.add(new SegmentEvaluator.Membership(definition.key(), definition.rule().evidence(visitorFacts)));
                        keys.add(definition.key());
                    }
                } catch (RuntimeException e) {
                    LOG.warnf(e, "custom segment %s of site %d could not be evaluated for visitor %d", definition.key(),
                            context.siteId(), profile.visitorId());
                }
            }
        }
        memberships.removeIf(membership -> membership.key().length() > MAX_KEY);
        memberships.replaceAll(membership -> membership.evidence() == null || membership.evidence().length() <= MAX_EVIDENCE ? membership
                : new SegmentEvaluator.Membership(membership.key(), membership.evidence().substring(0, MAX_EVIDENCE - 1) + "…"));
        memberships.sort((a, b) -> a.key().compareTo(b.key()));
        String interestsJson = InterestsJson.write(profile.interests());
        String evidenceJson = SegmentEvidence.write(memberships);
        return new Computed(profile, memberships, result.stage(), result.rfm(), interestsJson, evidenceJson,
                profileHash(profile, result, interestsJson, evidenceJson), membershipHash(memberships));
    }

    // ---------------------------------------------------------------- writing

    private static final String PROFILE_COLUMNS = "visitor_id, site_id, user_id, first_seen, last_seen, sessions, page_views, "
            + "active_days_30, active_days_prev_30, engaged_seconds, avg_scroll_depth, orders, revenue, average_order_value, "
            + "discounted_orders, first_order_at, last_order_at, cart_adds_30, rfm_r, rfm_f, rfm_m, rfm_cell, rfm_evidence, stage, "
            + "interests, computed_at, profile_hash, membership_hash, segment_keys, read_history, segment_evidence";
    private static final int PROFILE_COLUMN_COUNT = 31;
    private static final String PROFILE_UPSERT;

    static {
        StringBuilder update = new StringBuilder("ON DUPLICATE KEY UPDATE ");
        String[] columns = PROFILE_COLUMNS.split(", ");
        for (int i = 2; i < columns.length; i++) {
            update.append(i == 2 ? "" : ", ").append(columns[i]).append(" = VALUES(").append(columns[i]).append(')');
        }
        PROFILE_UPSERT = update.toString();
    }

    /**
     * Writes what changed for a chunk of visitors in one transaction: their profile rows (with the
     * current evidence), entries and exits, and a transition row for each entry and exit.
     * Returns the number of memberships the chunk's visitors now hold.
     */
    private static int write(Connection connection, SiteContext context, List<Computed> computed, Map<Long, long[]> storedHashes,
            Map<Long, List<String>> storedKeys, Instant now, ProfileVersion.Trail trail) throws SQLException {
        long siteId = context.siteId();
        List<Object[]> profileRows = new ArrayList<>();
        List<Computed> membershipChanged = new ArrayList<>();
        int memberships = 0;
        for (Computed visitor : computed) {
            memberships += visitor.memberships().size();
            long[] stored = storedHashes.get(visitor.profile().visitorId());
            boolean profileSame = stored != null && stored[0] == visitor.profileHash();
            boolean membershipsSame = stored != null && stored[1] == visitor.membershipHash();
            if (!profileSame || !membershipsSame) {
                profileRows.add(profileRow(siteId, visitor, now));
            }
            if (!membershipsSame) {
                membershipChanged.add(visitor);
            }
        }
        if (profileRows.isEmpty()) {
            return memberships;
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            long started = System.nanoTime();
            trail.bump(connection, siteId);
            MultiRowInsert.execute(connection, "INSERT INTO visitor_profile (" + PROFILE_COLUMNS + ")", PROFILE_COLUMN_COUNT,
                    PROFILE_UPSERT, profileRows);
            long profilesWritten = System.nanoTime();
            if (!membershipChanged.isEmpty()) {
                diffMemberships(connection, siteId, membershipChanged, storedKeys, now);
            }
            long membershipsWritten = System.nanoTime();
            connection.commit();
            long committed = System.nanoTime();
            if (committed - started > 100_000_000L) {
                LOG.debugf("site %d: wrote %d profiles in %d ms, the memberships of %d visitors in %d ms, committed in %d ms", siteId,
                        profileRows.size(), (profilesWritten - started) / 1_000_000, membershipChanged.size(),
                        (membershipsWritten - profilesWritten) / 1_000_000, (committed - membershipsWritten) / 1_000_000);
            }
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        return memberships;
    }

    /**
     * Enters and exits the visitors whose segments changed: a membership row is inserted on entry
     * (with the evidence of that moment) and deleted on exit, each with a transition row. A
     * membership that stays is not touched; its current evidence is on the profile row.
     * {@code storedKeys}: the visitors' current segment keys when already read (a drain reads them
     * while streaming, from an index that holds them), else null.
     */
    private static void diffMemberships(Connection connection, long siteId, List<Computed> visitors, Map<Long, List<String>> storedKeys,
            Instant now) throws SQLException {
        Map<Long, List<String>> stored = storedKeys;
        if (stored == null) {
            List<Long> ids = visitors.stream().map(visitor -> visitor.profile().visitorId()).toList();
            stored = SegmentStore.membershipKeys(connection, siteId, ids);
        }
        java.sql.Timestamp at = SegmentStore.timestamp(now.toEpochMilli());
        List<Object[]> entries = new ArrayList<>();
        List<Object[]> transitions = new ArrayList<>();
        Map<String, List<Long>> exits = new LinkedHashMap<>();
        for (Computed visitor : visitors) {
            long visitorId = visitor.profile().visitorId();
            Set<String> before = new HashSet<>(stored.getOrDefault(visitorId, List.of()));
            for (SegmentEvaluator.Membership membership : visitor.memberships()) {
                if (!before.remove(membership.key())) {
                    entries.add(new Object[] { siteId, membership.key(), visitorId, at, membership.evidence() });
                    transitions.add(new Object[] { siteId, membership.key(), visitorId, true, at });
                }
            }
            for (String left : before) {
                exits.computeIfAbsent(left, key -> new ArrayList<>()).add(visitorId);
                transitions.add(new Object[] { siteId, left, visitorId, false, at });
            }
        }
        SegmentStore.deleteMemberships(connection, siteId, exits);
        MultiRowInsert.execute(connection, "INSERT INTO segment_membership (site_id, segment_key, visitor_id, since, evidence)", 5, null,
                entries);
        MultiRowInsert.execute(connection, "INSERT INTO segment_transition (site_id, segment_key, visitor_id, entered, at)", 5, null,
                transitions);
    }

    /** Deletes the profile and memberships of visitors that no longer exist, recording their exits. */
    private static void remove(Connection connection, long siteId, Collection<Long> visitorIds, Instant now, ProfileVersion.Trail trail)
            throws SQLException {
        if (visitorIds.isEmpty()) {
            return;
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            trail.bump(connection, siteId);
            Map<Long, List<String>> stored = SegmentStore.membershipKeys(connection, siteId, visitorIds);
            java.sql.Timestamp at = SegmentStore.timestamp(now.toEpochMilli());
            List<Object[]> transitions = new ArrayList<>();
            stored.forEach((visitorId, keys) -> keys.forEach(key -> transitions.add(new Object[] { siteId, key, visitorId, false, at })));
            SegmentStore.deleteWhereVisitorIn(connection, "segment_membership", siteId, visitorIds);
            SegmentStore.deleteWhereVisitorIn(connection, "visitor_profile", siteId, visitorIds);
            MultiRowInsert.execute(connection, "INSERT INTO segment_transition (site_id, segment_key, visitor_id, entered, at)", 5, null,
                    transitions);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static Object[] profileRow(long siteId, Computed visitor, Instant now) {
        VisitorProfile profile = visitor.profile();
        SiteStats.Rfm rfm = visitor.rfm();
        return new Object[] { profile.visitorId(), siteId, profile.userId(), SegmentStore.timestamp(profile.firstSeenMillis()),
                SegmentStore.timestamp(profile.lastSeenMillis()), profile.sessions(), profile.pageViews(), profile.activeDays30(),
                profile.activeDaysPrevious30(), profile.engagedSeconds(), profile.averageScrollDepth(), profile.orderCount(),
                profile.revenue(), profile.averageOrderValue(), profile.discountedOrders(),
                profile.firstOrderMillis() == null ? null : SegmentStore.timestamp(profile.firstOrderMillis()),
                profile.lastOrderMillis() == null ? null : SegmentStore.timestamp(profile.lastOrderMillis()), profile.cartAddsInWindow(),
                rfm == null ? null : rfm.recency(), rfm == null ? null : rfm.frequency(), rfm == null ? null : rfm.monetary(),
                rfm == null ? null : rfm.cell(), rfm == null ? null : rfm.evidence(), visitor.stage(), visitor.interestsJson(),
                SegmentStore.timestamp(now.toEpochMilli()), visitor.profileHash(), visitor.membershipHash(), segmentKeys(visitor.memberships()),
                profile.readHistory().text(), visitor.evidenceJson() };
    }

    /** The membership keys as the profile row keeps them for recommendations: sorted, newline-separated. */
    private static String segmentKeys(List<SegmentEvaluator.Membership> memberships) {
        return memberships.stream().map(SegmentEvaluator.Membership::key).collect(java.util.stream.Collectors.joining("\n"));
    }

    /**
     * Bumped when the profile row gains or changes what it holds, so that every profile is written
     * again (in the new form) by the next recompute instead of being skipped as unchanged.
     */
    private static final String PROFILE_FORMAT = "3";

    /** A 64-bit fingerprint of everything the profile row holds except when it was computed. */
    private static long profileHash(VisitorProfile profile, SegmentEvaluator.Result result, String interestsJson, String evidenceJson) {
        StringBuilder text = new StringBuilder(256).append(profile.userId()).append('|').append(profile.firstSeenMillis()).append('|')
                .append(profile.lastSeenMillis()).append('|').append(profile.sessions()).append('|').append(profile.pageViews()).append('|')
                .append(profile.activeDays30()).append('|').append(profile.activeDaysPrevious30()).append('|')
                .append(profile.engagedSeconds()).append('|').append(profile.averageScrollDepth()).append('|')
                .append(profile.orderCount()).append('|').append(profile.revenue()).append('|').append(profile.discountedOrders())
                .append('|').append(profile.firstOrderMillis()).append('|').append(profile.lastOrderMillis()).append('|')
                .append(profile.cartAddsInWindow()).append('|').append(result.stage()).append('|').append(result.rfm())
                .append('|').append(interestsJson).append('|').append(profile.readHistory().fingerprint()).append('|').append(evidenceJson)
                .append('|').append(PROFILE_FORMAT);
        return fnv64(text);
    }

    /** A 64-bit fingerprint of which segments the visitor is in (their evidence is the profile hash's). */
    private static long membershipHash(List<SegmentEvaluator.Membership> memberships) {
        StringBuilder text = new StringBuilder(128);
        for (SegmentEvaluator.Membership membership : memberships) {
            text.append(membership.key()).append('\u0002');
        }
        return fnv64(text);
    }

    private static long fnv64(CharSequence text) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    static String siteLock(long siteId) {
        return "segmentpress-segments-site-" + siteId;
    }
}

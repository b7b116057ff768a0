package io.segmentpress.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.segmentpress.common.error.UnexpectedExceptionMapper;

/**
 * Group commit for ingestion. A request hands its validated events to one of a few writer
 * threads and waits. A writer that becomes free takes everything queued since (up to
 * {@code segmentpress.ingest.group-max-events}) and stores it in one transaction: one identity
 * look-up, one multi-row insert and one durable commit per site, however many requests it holds.
 * An idle service stores a request at once; a busy one shares each round trip and each log flush
 * among the requests that arrived meanwhile. Every request is answered after the commit that
 * stored its events, so a 2xx still means durable.
 *
 * <p>Requests never fail for each other: a group whose shared statement reports duplicates is
 * stored again request by request (so each request learns its own duplicate count), and a group
 * that fails for a reason other than an unreachable database is split up.
 */
@ApplicationScoped
class IngestWriter {

    private static final Logger LOG = Logger.getLogger(IngestWriter.class);
    private static final int ATTEMPTS = 4;
    private static final long IDLE_RELEASE_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** One request's valid events, and where its outcome goes: how many were new. */
    record Submission(long siteId, List<IncomingEvent> events, Instant receivedAt, CompletableFuture<Integer> stored) {
        Submission(long siteId, List<IncomingEvent> events, Instant receivedAt) {
            this(siteId, events, receivedAt, new CompletableFuture<>());
        }
    }

    private final LinkedBlockingQueue<Submission> queue = new LinkedBlockingQueue<>();
    private final ObservedCategories observedCategories = new ObservedCategories();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean closing;

    @Inject
    DataSource dataSource;

    @Inject
    IngestConfig config;

    @Inject
    MeterRegistry registry;

    private DistributionSummary groupSizes;

    @PostConstruct
    void start() {
        groupSizes = DistributionSummary.builder("segmentpress.ingest.group.requests")
                .description("Requests stored together in one transaction").register(registry);
        for (int i = 0; i < Math.max(1, config.writers()); i++) {
            Thread writer = new Thread(new Writer()::run, "ingest-writer-" + i);
            writer.setDaemon(true);
            writers.add(writer);
            writer.start();
        }
    }

    /**
     * Waits for what is queued to be stored, then stops the writers. Runs on shutdown, before the
     * connection pool closes, so the last groups still commit and the writers' connections go
     * back to a live pool.
     */
    void stop(@Observes ShutdownEvent shutdown) {
        closing = true;
        for (Thread writer : writers) {
            try {
                writer.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stores the events and returns how many were new; returns only once they are committed. */
    int store(long siteId, List<IncomingEvent> events, Instant receivedAt) {
        Submission submission = new Submission(siteId, events, receivedAt);
        if (closing) {
            // the writers are stopping: this request stores its own events
            Writer own = new Writer();
            own.store(List.of(submission));
            own.release();
        } else {
            queue.add(submission);
        }
        try {
            return submission.stored().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while events were being stored", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * One writer thread. It keeps its own connection, set up once for ingest (read committed,
     * manual commit), and the event statement prepared on the server for it, so a group costs no
     * session round trips and no statement parse; a connection that failed is closed and replaced
     * on the next group.
     */
    private final class Writer {

        private Connection connection;
        private EventStore events;

        void run() {
            Submission carried = null;
            try {
                while (true) {
                    Submission first = carried != null ? carried : next(this);
                    if (first == null) {
                        return;
                    }
                    carried = null;
                    List<Submission> group = new ArrayList<>();
                    group.add(first);
                    int events = first.events().size();
                    Submission more;
                    while (events < config.groupMaxEvents() && (more = queue.poll()) != null) {
                        if (events + more.events().size() > config.groupMaxEvents()) {
                            carried = more;
                            break;
                        }
                        group.add(more);
                        events += more.events().size();
                    }
                    store(group);
                }
            } finally {
                release();
            }
        }

        void store(List<Submission> group) {
            groupSizes.record(group.size());
            try {
                int[] stored = storeWithRetries(group);
                for (int i = 0; i < group.size(); i++) {
                    group.get(i).stored().complete(stored[i]);
                }
            } catch (SQLException | RuntimeException e) {
                if (group.size() > 1 && !UnexpectedExceptionMapper.isDatabaseUnavailable(e)) {
                    LOG.debugf("a group of %d requests failed (%s); storing them one by one", group.size(), e.getMessage());
                    for (Submission submission : group) {
                        store(List.of(submission));
                    }
                    return;
                }
                RuntimeException failure = e instanceof SQLException sql ? new IngestFailure(sql) : (RuntimeException) e;
                group.forEach(submission -> submission.stored().completeExceptionally(failure));
            } catch (Error e) {
                group.forEach(submission -> submission.stored().completeExceptionally(e));
                throw e;
            }
        }

        private int[] storeWithRetries(List<Submission> group) throws SQLException {
            for (int attempt = 1;; attempt++) {
                boolean reused = connection != null;
                try {
                    return storeOnce(group);
                } catch (SQLException e) {
                    // a kept connection the server has since dropped is replaced and the group tried again
                    boolean stale = reused && UnexpectedExceptionMapper.isDatabaseUnavailable(e);
                    if (!isRetryable(e) && !stale || attempt == ATTEMPTS) {
                        release();
                        throw e;
                    }
                    if (stale) {
                        release();
                    }
                    LOG.debugf("retrying %d requests after %s", group.size(), e.getMessage());
                } catch (RuntimeException e) {
                    release();
                    throw e;
                }
            }
        }

        /** One transaction for the whole group. */
        private int[] storeOnce(List<Submission> group) throws SQLException {
            Connection connection = connection();
            try {
                int[] stored = new int[group.size()];
                List<ObservedCategories.Observation> observed = observedCategories.pending(group);
                if (!storeShared(connection, events, group, stored)) {
                    connection.rollback();
                    storeEach(connection, events, group, stored);
                }
                ObservedCategories.write(connection, observed);
                connection.commit();
                observedCategories.committed(observed);
                return stored;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        }

        private Connection connection() throws SQLException {
            if (connection == null) {
                Connection fresh = dataSource.getConnection();
                try {
                    // Nothing here reads what it then relies on being unchanged: read committed
                    // spares concurrent groups the gap locks of repeatable read.
                    fresh.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                    fresh.setAutoCommit(false);
                } catch (SQLException e) {
                    fresh.close();
                    throw e;
                }
                connection = fresh;
                events = new EventStore(fresh);
            }
            return connection;
        }

        /** Closes the prepared event statement and gives the connection back to the pool (which restores its session settings). */
        void release() {
            if (events != null) {
                events.close();
                events = null;
            }
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    LOG.debug("closing an ingest connection failed", e);
                }
                connection = null;
            }
        }
    }

    /**
     * The next submission, or null once the service is stopping and nothing is left. A writer
     * idle for a while gives its connection back, so quiet hours never leave it holding one the
     * server has timed out.
     */
    private Submission next(Writer writer) {
        long idleSince = System.nanoTime();
        while (true) {
            try {
                Submission submission = queue.poll(200, TimeUnit.MILLISECONDS);
                if (submission != null || closing && queue.isEmpty()) {
                    return submission;
                }
                if (System.nanoTime() - idleSince > IDLE_RELEASE_NANOS) {
                    writer.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /**
     * Every site's events in shared statements. Returns false, with the work to be rolled back,
     * when some event was a duplicate: the statements' row counts cannot say whose it was.
     */
    private static boolean storeShared(Connection connection, EventStore store, List<Submission> group, int[] stored) throws SQLException {
        Map<Long, List<Submission>> bySite = new TreeMap<>();
        for (Submission submission : group) {
            bySite.computeIfAbsent(submission.siteId(), site -> new ArrayList<>()).add(submission);
        }
        Instant now = latestReceipt(group);
        for (Map.Entry<Long, List<Submission>> site : bySite.entrySet()) {
            List<Submission> parts = site.getValue();
            List<IncomingEvent> events = parts.size() == 1 ? parts.get(0).events()
                    : parts.stream().flatMap(part -> part.events().stream()).toList();
            VisitorResolver.Resolution visitors = new VisitorResolver(connection, site.getKey(), now).resolve(events);
            if (store.insert(site.getKey(), parts, visitors) != events.size()) {
                return false;
            }
            EventStore.markDirty(connection, site.getKey(), new TreeSet<>(visitors.touched()), now);
        }
        for (int i = 0; i < group.size(); i++) {
            stored[i] = group.get(i).events().size();
        }
        return true;
    }

    /** Each request's events in their own statements, inside the group's transaction. */
    private static void storeEach(Connection connection, EventStore store, List<Submission> group, int[] stored) throws SQLException {
        for (int i = 0; i < group.size(); i++) {
            Submission submission = group.get(i);
            VisitorResolver.Resolution visitors = new VisitorResolver(connection, submission.siteId(), submission.receivedAt())
                    .resolve(submission.events());
            stored[i] = store.insert(submission.siteId(), List.of(submission), visitors);
            Set<Long> touched = new TreeSet<>(visitors.touched());
            EventStore.markDirty(connection, submission.siteId(), touched, submission.receivedAt());
        }
    }

    private static Instant latestReceipt(List<Submission> group) {
        Instant latest = group.get(0).receivedAt();
        for (Submission submission : group) {
            if (submission.receivedAt().isAfter(latest)) {
                latest = submission.receivedAt();
            }
        }
        return latest;
    }

    /** Deadlocks and lock wait timeouts between concurrent transactions: the whole group is tried again. */
    private static boolean isRetryable(SQLException e) {
        return "40001".equals(e.getSQLState()) || e.getErrorCode() == 1213 || e.getErrorCode() == 1205;
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed", e);
        }
    }

    /** A storage failure; mapped to 503 when the database is unreachable, otherwise 500. */
    static final class IngestFailure extends RuntimeException {
        IngestFailure(SQLException cause) {
            super("storing events failed", cause);
        }
    }
}

package io.segmentpress.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.ingest.IngestApi.BatchResult;
import io.segmentpress.ingest.IngestApi.Rejected;

/**
 * Stores events. Each request is one database transaction: the events, the identity links
 * they create and the marks for the segment engine commit together before the answer, so a
 * 2xx means the events are durable and a failure leaves nothing half-written.
 */
@ApplicationScoped
public class IngestService {

    private static final Logger LOG = Logger.getLogger(IngestService.class);
    private static final int ATTEMPTS = 4;

    private final DataSource dataSource;
    private final AppClock clock;
    private final IngestConfig limits;
    private final EventValidator validator;
    private final Counter acceptedCounter;
    private final Counter duplicateCounter;
    private final Counter rejectedCounter;

    @Inject
    IngestService(DataSource dataSource, AppClock clock, IngestConfig limits, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.limits = limits;
        this.validator = new EventValidator(limits);
        this.acceptedCounter = Counter.builder("segmentpress.events.accepted").description("Events stored").register(registry);
        this.duplicateCounter = Counter.builder("segmentpress.events.duplicates").description("Events already stored (same messageId)").register(registry);
        this.rejectedCounter = Counter.builder("segmentpress.events.rejected").description("Events refused by validation").register(registry);
    }

    /** Validates every event of a batch, stores the valid ones and reports each rejected one. */
    public BatchResult ingestBatch(long siteId, IngestRequest body) {
        Instant receivedAt = clock.now();
        List<IncomingEvent> valid = new ArrayList<>(body.events.size());
        List<Rejected> rejected = new ArrayList<>();
        for (int i = 0; i < body.events.size(); i++) {
            EventValidator.Result result = validator.validate(body.events.get(i).node(), null, body.context, body.sentAt, receivedAt);
            if (result.isValid()) {
                valid.add(result.event());
            } else {
                rejected.add(new Rejected(i, result.messageId(), result.violations().errors()));
            }
        }
        rejectedCounter.increment(rejected.size());
        int accepted = store(siteId, valid, receivedAt);
        return new BatchResult(accepted, valid.size() - accepted, rejected);
    }

    /** Stores one event of the type the endpoint implies; an invalid event is a 400. */
    public IngestApi.Accepted ingestOne(long siteId, JsonNode event, String type) {
        Instant receivedAt = clock.now();
        EventValidator.Result result = validator.validate(event, type, null, null, receivedAt);
        if (!result.isValid()) {
            rejectedCounter.increment();
            result.violations().throwIfAny();
        }
        int accepted = store(siteId, List.of(result.event()), receivedAt);
        return new IngestApi.Accepted(accepted, 1 - accepted);
    }

    IngestConfig limits() {
        return limits;
    }

    private int store(long siteId, List<IncomingEvent> events, Instant receivedAt) {
        if (events.isEmpty()) {
            return 0;
        }
        for (int attempt = 1;; attempt++) {
            try {
                int accepted = storeOnce(siteId, events, receivedAt);
                acceptedCounter.increment(accepted);
                duplicateCounter.increment(events.size() - accepted);
                return accepted;
            } catch (SQLException e) {
                if (isRetryable(e) && attempt < ATTEMPTS) {
                    LOG.debugf("Retrying batch for site %d after %s", siteId, e.getMessage());
                    continue;
                }
                throw new IngestFailure(e);
            }
        }
    }

    /**
     * One transaction, in as few round trips as the work allows: this is the hot path, and on a
     * busy database every round trip costs more than the rows. Autocommit is not switched back
     * here: the pool does that when the connection is returned, and doing it twice costs a round
     * trip per request.
     */
    private int storeOnce(long siteId, List<IncomingEvent> events, Instant receivedAt) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                VisitorResolver.Resolution visitors = new VisitorResolver(connection, siteId, receivedAt).resolve(events);
                int accepted = EventStore.insert(connection, siteId, events, visitors, receivedAt);
                EventStore.markDirty(connection, siteId, visitors.touched(), receivedAt);
                connection.commit();
                return accepted;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        }
    }

    /** Deadlocks and lock wait timeouts between concurrent batches: the whole batch is tried again. */
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

package io.segmentpress.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.ingest.IngestApi.BatchResult;
import io.segmentpress.ingest.IngestApi.Rejected;

/**
 * Validates events and stores the valid ones through {@link IngestWriter}: the events of a
 * request, the identity links they create and the marks for the segment engine commit together
 * before the answer, so a 2xx means the events are durable and a failure leaves nothing
 * half-written.
 */
@ApplicationScoped
public class IngestService {

    private final IngestWriter writer;
    private final AppClock clock;
    private final IngestConfig limits;
    private final EventValidator validator;
    private final Counter acceptedCounter;
    private final Counter duplicateCounter;
    private final Counter rejectedCounter;

    @Inject
    IngestService(IngestWriter writer, AppClock clock, IngestConfig limits, MeterRegistry registry) {
        this.writer = writer;
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
        int accepted = writer.store(siteId, events, receivedAt);
        acceptedCounter.increment(accepted);
        duplicateCounter.increment(events.size() - accepted);
        return accepted;
    }
}

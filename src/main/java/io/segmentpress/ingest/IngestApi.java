package io.segmentpress.ingest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.segmentpress.common.error.FieldError;

/** Response bodies of the ingestion endpoints. */
public final class IngestApi {

    private IngestApi() {
    }

    @Schema(name = "EventAccepted", description = "A single event: stored (accepted) or already seen (duplicates)")
    public record Accepted(int accepted, int duplicates) {
    }

    @Schema(name = "RejectedEvent", description = "An event of a batch that was not stored, and why")
    public record Rejected(int index, String messageId, List<FieldError> errors) {
    }

    @Schema(name = "BatchResult", description = "Valid events are stored even when others in the batch are rejected; every dropped event is listed in rejected")
    public record BatchResult(int accepted, int duplicates, List<Rejected> rejected) {
    }

    @Schema(name = "Event", description = "A Segment-format event (track, page or identify)")
    public record EventDoc(
            @Schema(enumeration = { "track", "page", "identify" }) String type,
            @Schema(description = "Idempotency key, ≤ 100 characters; generated when absent") String messageId,
            @Schema(description = "≤ 200 characters; at least one of anonymousId and userId") String anonymousId,
            @Schema(description = "≤ 200 characters") String userId,
            @Schema(description = "Event name (track), ≤ 200 characters", examples = "Order Completed") String event,
            @Schema(description = "Page name (page)") String name,
            Object properties, Object traits, Object context,
            @Schema(description = "ISO-8601; defaults to the time received") String timestamp,
            @Schema(description = "ISO-8601 time the client sent the event; used to correct clock skew") String sentAt) {
    }

    @Schema(name = "Batch")
    public record BatchDoc(@Schema(required = true, maxItems = 500) List<EventDoc> batch, Object context, String sentAt,
            @Schema(description = "The site's write key, for clients that cannot set headers") String writeKey) {
    }
}

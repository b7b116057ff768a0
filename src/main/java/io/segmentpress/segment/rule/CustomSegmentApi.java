package io.segmentpress.segment.rule;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/** Request and response bodies of the custom segment API. */
public final class CustomSegmentApi {

    private CustomSegmentApi() {
    }

    @Schema(name = "CustomSegmentRequest", description = "A custom segment. On PUT the key comes from the path (a key in the body must match it).")
    public record CustomSegmentRequest(
            @Schema(description = "Stable key: lower-case letters, digits and dashes, up to 63 characters", examples = "coupon-lovers") String key,
            @Schema(description = "Shown to editors; 1-200 characters", examples = "Coupon lovers") String name,
            @Schema(description = "Up to 1000 characters") String description,
            @Schema(description = "The condition tree; see docs/custom-segments.md", examples = "{\"event\": \"Order Completed\", \"count\": {\"gte\": 2}, \"within\": \"P90D\"}") JsonNode rule) {
    }

    @Schema(name = "CustomSegment")
    public record CustomSegmentView(String key, String name,
            @Schema(enumeration = "custom") String family,
            String description, JsonNode rule, Instant createdAt, Instant updatedAt,
            @Schema(description = "Visitors in the segment right after the change") long size) {
    }
}

package io.segmentpress.segment.rule;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One stored event as a rule sees it.
 *
 * @param type           {@code track}, {@code page} or {@code identify}
 * @param name           the track event's name or the page's name (may be null)
 * @param occurredAt     when it happened (skew-corrected)
 * @param postId         the content it concerns, if any
 * @param revenue        the order's revenue, if any
 * @param engagedSeconds engaged reading time, if any
 * @param properties     the event's properties object (may be null)
 */
public record EventFact(String type, String name, Instant occurredAt, Long postId, BigDecimal revenue,
        Integer engagedSeconds, JsonNode properties) {
}

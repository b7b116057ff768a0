package io.segmentpress.segment;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;

import io.segmentpress.common.Json;

/**
 * The {@code visitor_profile.segment_evidence} column: why the visitor is in each of its
 * segments right now, as {@code {"vip": "4 orders in 365 days; …", "stage:decision": "…"}} in
 * segment key order. It lives on the profile row because its numbers move with nearly every new
 * event while the segments themselves seldom change: the engine rewrites the profile row of such a
 * visitor anyway, and leaves {@code segment_membership} alone until the visitor enters or leaves
 * a segment.
 */
public final class SegmentEvidence {

    private SegmentEvidence() {
    }

    /** The column's text for these memberships (sorted by key, evidence already truncated); null for none. */
    static String write(List<SegmentEvaluator.Membership> memberships) {
        if (memberships.isEmpty()) {
            return null;
        }
        // written by hand: this runs for every visitor of a full recompute
        JsonStringEncoder encoder = JsonStringEncoder.getInstance();
        StringBuilder json = new StringBuilder(64 * memberships.size()).append('{');
        for (SegmentEvaluator.Membership membership : memberships) {
            json.append(json.length() == 1 ? "" : ",").append('"').append(encoder.quoteAsString(membership.key())).append("\":");
            if (membership.evidence() == null) {
                json.append("null");
            } else {
                json.append('"').append(encoder.quoteAsString(membership.evidence())).append('"');
            }
        }
        return json.append('}').toString();
    }

    /**
     * Segment key → evidence as the column holds it; null when the column is empty (a profile
     * written before the column existed), so that callers fall back to the evidence stored with
     * each membership.
     */
    public static Map<String, String> read(String json) {
        JsonNode node = Json.readTree(json);
        if (node == null || !node.isObject()) {
            return null;
        }
        Map<String, String> evidence = new HashMap<>();
        node.fields().forEachRemaining(field -> evidence.put(field.getKey(), field.getValue().isNull() ? null : field.getValue().asText()));
        return evidence;
    }
}

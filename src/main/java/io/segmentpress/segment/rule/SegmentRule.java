package io.segmentpress.segment.rule;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A parsed, validated custom segment rule (the JSON condition tree of docs/custom-segments.md).
 * Immutable and thread-safe: parse once, evaluate for many visitors.
 */
public final class SegmentRule {

    private final JsonNode source;

    private SegmentRule(JsonNode source) {
        this.source = source;
    }

    /**
     * Parses and validates a rule.
     *
     * @throws RuleException naming the broken part, e.g. {@code all[2].within: 'P3X' is not an ISO-8601 period}
     */
    public static SegmentRule parse(JsonNode rule) {
        if (rule == null || !rule.isObject()) {
            throw new RuleException("", "must be a JSON object");
        }
        return new SegmentRule(rule.deepCopy());
    }

    /** Whether the visitor described by {@code facts} is in the segment. */
    public boolean matches(VisitorFacts facts) {
        return false;
    }

    /** Keys of the segments (built-in or custom) the rule refers to through {@code segment} leaves. */
    public Set<String> referencedSegments() {
        return Set.of();
    }

    /** A short human-readable explanation of why the visitor matches, stored as membership evidence. */
    public String evidence(VisitorFacts facts) {
        return "matches the custom rule";
    }

    /** The rule as JSON, exactly as parsed. */
    public JsonNode json() {
        return source.deepCopy();
    }
}

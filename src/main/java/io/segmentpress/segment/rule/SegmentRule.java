package io.segmentpress.segment.rule;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A parsed, validated custom segment rule (the JSON condition tree of docs/custom-segments.md).
 * Immutable and thread-safe: parse once, evaluate for many visitors.
 */
public final class SegmentRule {

    /** Longest evidence kept with a membership (the column's size). */
    public static final int MAX_EVIDENCE = 1000;

    /** A {@code segment} leaf: the key it names and where it sits in the rule. */
    public record Reference(String key, String path) {
    }

    private final JsonNode source;
    private final Condition root;
    private final List<Reference> references;

    private SegmentRule(JsonNode source, Condition root, List<Reference> references) {
        this.source = source;
        this.root = root;
        this.references = references;
    }

    /**
     * Parses and validates a rule.
     *
     * @throws RuleException naming the broken part, e.g. {@code all[2].within: 'P3X' is not an ISO-8601 period}
     */
    public static SegmentRule parse(JsonNode rule) {
        RuleParser parser = new RuleParser();
        Condition root = parser.parse(rule, "", 1);
        return new SegmentRule(rule.deepCopy(), root, List.copyOf(parser.references()));
    }

    /** Whether the visitor described by {@code facts} is in the segment. */
    public boolean matches(VisitorFacts facts) {
        return root.matches(new Evaluation(facts));
    }

    /** Keys of the segments (built-in or custom) the rule refers to through {@code segment} leaves. */
    public Set<String> referencedSegments() {
        Set<String> keys = new LinkedHashSet<>();
        references.forEach(reference -> keys.add(reference.key()));
        return keys;
    }

    /** Every {@code segment} leaf with its path in the rule, in rule order. */
    public List<Reference> segmentReferences() {
        return references;
    }

    /**
     * What the visitor's facts say about each condition ("'Order Completed' 3 times in P90D; not in
     * vip; engaged_seconds 900 in P30D"), at most {@link #MAX_EVIDENCE} characters.
     */
    public String evidence(VisitorFacts facts) {
        String evidence = root.evidence(new Evaluation(facts));
        return evidence.length() <= MAX_EVIDENCE ? evidence : evidence.substring(0, MAX_EVIDENCE - 1) + "…";
    }

    /** The rule as JSON, exactly as parsed. */
    public JsonNode json() {
        return source.deepCopy();
    }

    Condition root() {
        return root;
    }

    @Override
    public String toString() {
        return source.toString();
    }
}

package io.segmentpress.segment.rule;

/** A site's own segment: its key, how it is shown, and the rule that decides membership. */
public record CustomSegmentDefinition(String key, String name, String description, SegmentRule rule) {
}

package io.segmentpress.segment.rule;

/**
 * A rule that cannot be evaluated. {@link #path()} is the JSON path of the broken part inside
 * the rule (e.g. {@code all[2].within}; empty for the rule itself).
 */
public class RuleException extends RuntimeException {

    private final String path;
    private final String reason;

    public RuleException(String path, String reason) {
        super((path == null || path.isEmpty() ? "rule" : path) + ": " + reason, null, false, false);
        this.path = path == null ? "" : path;
        this.reason = reason;
    }

    /** Where in the rule the problem is, relative to the rule's root ({@code ""} for the root). */
    public String path() {
        return path;
    }

    /** What is wrong, without the path. */
    public String reason() {
        return reason;
    }
}

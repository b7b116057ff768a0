package io.segmentpress.segment.rule;

/** A comparison operator of counts, metrics, properties and traits. */
public enum Comparison {
    EQ("eq", "="), NEQ("neq", "≠"), GT("gt", ">"), GTE("gte", "≥"), LT("lt", "<"), LTE("lte", "≤");

    private final String key;
    private final String symbol;

    Comparison(String key, String symbol) {
        this.key = key;
        this.symbol = symbol;
    }

    public String key() {
        return key;
    }

    public String symbol() {
        return symbol;
    }

    /** Applies the operator to the result of {@code actual.compareTo(expected)}. */
    public boolean holds(int comparison) {
        return switch (this) {
            case EQ -> comparison == 0;
            case NEQ -> comparison != 0;
            case GT -> comparison > 0;
            case GTE -> comparison >= 0;
            case LT -> comparison < 0;
            case LTE -> comparison <= 0;
        };
    }

    /** The SQL operator with the same meaning. */
    public String sql() {
        return switch (this) {
            case EQ -> "=";
            case NEQ -> "<>";
            case GT -> ">";
            case GTE -> ">=";
            case LT -> "<";
            case LTE -> "<=";
        };
    }

    static Comparison byKey(String key) {
        for (Comparison comparison : values()) {
            if (comparison.key.equals(key)) {
                return comparison;
            }
        }
        return null;
    }
}

package io.segmentpress.segment.rule;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;

/** Comparisons a number must pass, all of them ({@code {"gte": 2, "lt": 10}}). */
public record NumberTest(List<Check> checks) {

    /** One comparison with a fixed number. */
    public record Check(Comparison comparison, BigDecimal expected) {
    }

    /** "At least once": the count an {@code event} leaf uses when it names none. */
    static final NumberTest AT_LEAST_ONCE = new NumberTest(List.of(new Check(Comparison.GTE, BigDecimal.ONE)));

    public boolean test(BigDecimal actual) {
        for (Check check : checks) {
            if (!check.comparison().holds(actual.compareTo(check.expected()))) {
                return false;
            }
        }
        return true;
    }

    public boolean test(long actual) {
        return test(BigDecimal.valueOf(actual));
    }

    @Override
    public String toString() {
        return checks.stream().map(c -> c.comparison().symbol() + " " + c.expected().toPlainString()).collect(Collectors.joining(" and "));
    }
}

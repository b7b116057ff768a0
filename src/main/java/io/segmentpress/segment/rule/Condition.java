package io.segmentpress.segment.rule;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/** A node of a parsed rule: a combinator or a leaf. */
sealed interface Condition {

    boolean matches(Evaluation evaluation);

    /** What the visitor's facts say about this condition, for membership evidence. */
    String evidence(Evaluation evaluation);

    /** All of the children hold. */
    record All(List<Condition> children) implements Condition {
        @Override
        public boolean matches(Evaluation evaluation) {
            for (Condition child : children) {
                if (!child.matches(evaluation)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String evidence(Evaluation evaluation) {
            return children.stream().map(c -> c.evidence(evaluation)).collect(Collectors.joining("; "));
        }
    }

    /** At least one of the children holds. */
    record Any(List<Condition> children) implements Condition {
        @Override
        public boolean matches(Evaluation evaluation) {
            for (Condition child : children) {
                if (child.matches(evaluation)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String evidence(Evaluation evaluation) {
            List<Condition> holding = children.stream().filter(c -> c.matches(evaluation)).toList();
            List<Condition> shown = holding.isEmpty() ? children : holding;
            String joined = shown.stream().map(c -> c.evidence(evaluation)).collect(Collectors.joining(" | "));
            return shown.size() == 1 ? joined : "(" + joined + ")";
        }
    }

    /** The child does not hold. */
    record Not(Condition child) implements Condition {
        @Override
        public boolean matches(Evaluation evaluation) {
            return !child.matches(evaluation);
        }

        @Override
        public String evidence(Evaluation evaluation) {
            return "not (" + child.evidence(evaluation) + ")";
        }
    }

    /** A test on one event property, e.g. {@code properties.coupon exists}. */
    record PropertyTest(String path, List<String> keys, ValueTest test) {
        boolean matches(JsonNode properties) {
            JsonNode value = properties;
            for (String key : keys) {
                value = value == null || !value.isObject() ? null : value.get(key);
            }
            return test.test(value);
        }
    }

    /** How many events of one name (optionally in a window, optionally with property tests). */
    record EventCount(String name, NumberTest count, Window within, List<PropertyTest> where) implements Condition {
        long count(Evaluation evaluation) {
            Instant from = evaluation.from(within);
            long count = 0;
            for (EventFact event : evaluation.facts.events()) {
                if (name.equals(event.name()) && Metrics.inWindow(event, from) && passes(event)) {
                    count++;
                }
            }
            return count;
        }

        private boolean passes(EventFact event) {
            for (PropertyTest test : where) {
                if (!test.matches(event.properties())) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean matches(Evaluation evaluation) {
            return count.test(count(evaluation));
        }

        @Override
        public String evidence(Evaluation evaluation) {
            return "'" + name + "'" + (where.isEmpty() ? "" : " (filtered)") + " " + count(evaluation) + " times "
                    + (within == null ? "ever" : "in " + within);
        }
    }

    /** A trait from identify calls, the latest value winning. */
    record Trait(String name, List<String> keys, ValueTest test) implements Condition {
        JsonNode value(Evaluation evaluation) {
            JsonNode value = evaluation.traits();
            for (String key : keys) {
                value = value == null || !value.isObject() ? null : value.get(key);
            }
            return value;
        }

        @Override
        public boolean matches(Evaluation evaluation) {
            return test.test(value(evaluation));
        }

        @Override
        public String evidence(Evaluation evaluation) {
            JsonNode value = value(evaluation);
            return "trait " + name + " = " + (ValueTest.present(value) ? value.toString() : "(none)");
        }
    }

    /** A visitor aggregate compared with numbers. */
    record MetricTest(Metric metric, Window within, NumberTest test) implements Condition {
        @Override
        public boolean matches(Evaluation evaluation) {
            if (metric == Metric.AOV) {
                // revenue / orders op x  <=>  revenue op x * orders, exactly, when there are orders
                BigDecimal[] ordersAndRevenue = evaluation.ordersAndRevenue(within);
                BigDecimal orders = ordersAndRevenue[0];
                if (orders.signum() == 0) {
                    return false;
                }
                for (NumberTest.Check check : test.checks()) {
                    if (!check.comparison().holds(ordersAndRevenue[1].compareTo(check.expected().multiply(orders)))) {
                        return false;
                    }
                }
                return true;
            }
            return test.test(evaluation.metric(metric, within));
        }

        @Override
        public String evidence(Evaluation evaluation) {
            BigDecimal value = evaluation.metric(metric, within);
            String shown = value == null ? "none (no orders)"
                    : value.scale() > 2 ? value.setScale(2, RoundingMode.HALF_UP).toPlainString() : value.toPlainString();
            return metric.key() + " " + shown + " " + (within == null ? "ever" : "in " + within);
        }
    }

    /** Membership of another segment (built-in or custom), by key. */
    record InSegment(String key) implements Condition {
        @Override
        public boolean matches(Evaluation evaluation) {
            VisitorFacts facts = evaluation.facts;
            if (facts.segments() != null && facts.segments().contains(key)) {
                return true;
            }
            if (key.startsWith(SegmentKeys.STAGE_PREFIX)) {
                return key.equals(stageOf(facts));
            }
            return key.startsWith(SegmentKeys.INTEREST_PREFIX) && facts.interests() != null
                    && facts.interests().contains(key.substring(SegmentKeys.INTEREST_PREFIX.length()));
        }

        @Override
        public String evidence(Evaluation evaluation) {
            return (matches(evaluation) ? "in " : "not in ") + key;
        }
    }

    /** An {@code interest:{slug}} membership. */
    record Interest(String slug) implements Condition {
        @Override
        public boolean matches(Evaluation evaluation) {
            VisitorFacts facts = evaluation.facts;
            return (facts.interests() != null && facts.interests().contains(slug))
                    || (facts.segments() != null && facts.segments().contains(SegmentKeys.INTEREST_PREFIX + slug));
        }

        @Override
        public String evidence(Evaluation evaluation) {
            return (matches(evaluation) ? "interested in " : "not interested in ") + slug;
        }
    }

    /** The journey stage. */
    record Stage(String key) implements Condition {
        @Override
        public boolean matches(Evaluation evaluation) {
            return key.equals(stageOf(evaluation.facts));
        }

        @Override
        public String evidence(Evaluation evaluation) {
            return "stage " + stageOf(evaluation.facts);
        }
    }

    private static String stageOf(VisitorFacts facts) {
        return facts.stage() == null ? SegmentKeys.DEFAULT_STAGE : facts.stage();
    }
}

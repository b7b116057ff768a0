package io.segmentpress.segment.rule;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns rule JSON into {@link Condition}s, refusing anything it cannot evaluate with a
 * {@link RuleException} whose path points at the broken part.
 */
final class RuleParser {

    static final int MAX_DEPTH = 20;
    static final int MAX_CONDITIONS = 200;
    static final int MAX_IN_VALUES = 100;
    static final int MAX_TEXT = 200;

    private static final List<String> KINDS = List.of("all", "any", "not", "event", "trait", "metric", "segment", "interest", "stage");
    private static final Pattern PATH_KEY = Pattern.compile("[A-Za-z0-9_ -]{1,100}");

    private int conditions;
    private final List<SegmentRule.Reference> references = new ArrayList<>();

    List<SegmentRule.Reference> references() {
        return references;
    }

    Condition parse(JsonNode node, String path, int depth) {
        if (node == null || !node.isObject()) {
            throw new RuleException(path, "must be a condition object such as {\"event\": \"Order Completed\"}");
        }
        if (depth > MAX_DEPTH) {
            throw new RuleException(path, "nesting is deeper than " + MAX_DEPTH + " levels");
        }
        if (++conditions > MAX_CONDITIONS) {
            throw new RuleException(path, "the rule has more than " + MAX_CONDITIONS + " conditions");
        }
        String kind = kindOf(node, path);
        return switch (kind) {
            case "all", "any" -> combinator(kind, node, path, depth);
            case "not" -> {
                onlyFields(node, path, List.of("not"));
                yield new Condition.Not(parse(node.get("not"), at(path, "not"), depth + 1));
            }
            case "event" -> event(node, path);
            case "trait" -> trait(node, path);
            case "metric" -> metric(node, path);
            case "segment" -> segment(node, path);
            case "interest" -> interest(node, path);
            default -> stage(node, path);
        };
    }

    private static String kindOf(JsonNode node, String path) {
        List<String> present = new ArrayList<>();
        for (String kind : KINDS) {
            if (node.has(kind)) {
                present.add(kind);
            }
        }
        if (present.size() == 1) {
            return present.get(0);
        }
        if (present.size() > 1) {
            throw new RuleException(path, "combines '" + present.get(0) + "' and '" + present.get(1)
                    + "' in one condition; put them in separate conditions under 'all' or 'any'");
        }
        Iterator<String> names = node.fieldNames();
        String first = names.hasNext() ? names.next() : null;
        throw new RuleException(first == null ? path : at(path, first), (first == null ? "empty condition" : "unknown condition '" + first + "'")
                + "; expected one of " + String.join(", ", KINDS));
    }

    private Condition combinator(String kind, JsonNode node, String path, int depth) {
        onlyFields(node, path, List.of(kind));
        JsonNode children = node.get(kind);
        String childrenPath = at(path, kind);
        if (!children.isArray() || children.isEmpty()) {
            throw new RuleException(childrenPath, "must be a non-empty array of conditions");
        }
        List<Condition> parsed = new ArrayList<>(children.size());
        for (int i = 0; i < children.size(); i++) {
            parsed.add(parse(children.get(i), childrenPath + "[" + i + "]", depth + 1));
        }
        return kind.equals("all") ? new Condition.All(List.copyOf(parsed)) : new Condition.Any(List.copyOf(parsed));
    }

    private Condition event(JsonNode node, String path) {
        onlyFields(node, path, List.of("event", "count", "within", "where"));
        String name = text(node.get("event"), at(path, "event"), "an event name");
        NumberTest count = node.has("count") ? countTest(node.get("count"), at(path, "count")) : NumberTest.AT_LEAST_ONCE;
        Window within = window(node, path);
        List<Condition.PropertyTest> where = new ArrayList<>();
        if (node.has("where")) {
            JsonNode tests = node.get("where");
            String wherePath = at(path, "where");
            if (!tests.isObject() || tests.isEmpty()) {
                throw new RuleException(wherePath, "must be an object of property tests, e.g. {\"properties.coupon\": {\"exists\": true}}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = tests.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                String testPath = at(wherePath, entry.getKey());
                if (!entry.getKey().startsWith("properties.")) {
                    throw new RuleException(testPath, "property paths start with 'properties.' (e.g. properties.coupon)");
                }
                List<String> keys = pathKeys(entry.getKey().substring("properties.".length()), testPath);
                where.add(new Condition.PropertyTest(entry.getKey(), keys, valueTest(entry.getValue(), testPath)));
            }
        }
        return new Condition.EventCount(name, count, within, List.copyOf(where));
    }

    private Condition trait(JsonNode node, String path) {
        String name = text(node.get("trait"), at(path, "trait"), "a trait name");
        List<String> keys = pathKeys(name, at(path, "trait"));
        com.fasterxml.jackson.databind.node.ObjectNode operators = node.deepCopy();
        operators.remove("trait");
        if (operators.isEmpty()) {
            throw new RuleException(path, "a trait condition needs an operator, e.g. {\"trait\": \"plan\", \"eq\": \"pro\"}");
        }
        return new Condition.Trait(name, keys, valueTest(operators, path));
    }

    private Condition metric(JsonNode node, String path) {
        String key = text(node.get("metric"), at(path, "metric"), "a metric name");
        Metric metric = Metric.byKey(key);
        if (metric == null) {
            throw new RuleException(at(path, "metric"), "unknown metric '" + key + "'; expected one of orders, revenue, aov, page_views, sessions, active_days, engaged_seconds");
        }
        Window within = window(node, path);
        List<NumberTest.Check> checks = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().equals("metric") || entry.getKey().equals("within")) {
                continue;
            }
            String fieldPath = at(path, entry.getKey());
            Comparison comparison = Comparison.byKey(entry.getKey());
            if (comparison == null) {
                throw new RuleException(fieldPath, "unknown operator '" + entry.getKey() + "'; a metric takes eq, neq, gt, gte, lt, lte (and within)");
            }
            if (!entry.getValue().isNumber()) {
                throw new RuleException(fieldPath, "must be a number");
            }
            checks.add(new NumberTest.Check(comparison, entry.getValue().decimalValue()));
        }
        if (checks.isEmpty()) {
            throw new RuleException(path, "a metric condition needs a comparison, e.g. {\"metric\": \"orders\", \"gte\": 2}");
        }
        return new Condition.MetricTest(metric, within, new NumberTest(List.copyOf(checks)));
    }

    private Condition segment(JsonNode node, String path) {
        onlyFields(node, path, List.of("segment"));
        String fieldPath = at(path, "segment");
        String key = text(node.get("segment"), fieldPath, "a segment key");
        boolean valid = SegmentKeys.CUSTOM_KEY.matcher(key).matches()
                || (key.startsWith(SegmentKeys.INTEREST_PREFIX) && SegmentKeys.CATEGORY_SLUG.matcher(key.substring(SegmentKeys.INTEREST_PREFIX.length())).matches())
                || SegmentKeys.STAGES.contains(key);
        if (!valid) {
            throw new RuleException(fieldPath, "'" + key + "' is not a segment key");
        }
        references.add(new SegmentRule.Reference(key, fieldPath));
        return new Condition.InSegment(key);
    }

    private Condition interest(JsonNode node, String path) {
        onlyFields(node, path, List.of("interest"));
        String fieldPath = at(path, "interest");
        String slug = text(node.get("interest"), fieldPath, "a category slug");
        if (slug.startsWith(SegmentKeys.INTEREST_PREFIX)) {
            slug = slug.substring(SegmentKeys.INTEREST_PREFIX.length());
        }
        if (!SegmentKeys.CATEGORY_SLUG.matcher(slug).matches()) {
            throw new RuleException(fieldPath, "'" + slug + "' is not a category slug");
        }
        return new Condition.Interest(slug);
    }

    private Condition stage(JsonNode node, String path) {
        onlyFields(node, path, List.of("stage"));
        String fieldPath = at(path, "stage");
        String stage = text(node.get("stage"), fieldPath, "a journey stage");
        String key = stage.startsWith(SegmentKeys.STAGE_PREFIX) ? stage : SegmentKeys.STAGE_PREFIX + stage;
        if (!SegmentKeys.STAGES.contains(key)) {
            throw new RuleException(fieldPath, "unknown stage '" + stage + "'; expected one of awareness, consideration, decision, retention, advocacy");
        }
        return new Condition.Stage(key);
    }

    private static NumberTest countTest(JsonNode node, String path) {
        if (!node.isObject() || node.isEmpty()) {
            throw new RuleException(path, "must be an object of comparisons, e.g. {\"gte\": 2}");
        }
        List<NumberTest.Check> checks = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String fieldPath = at(path, entry.getKey());
            Comparison comparison = Comparison.byKey(entry.getKey());
            if (comparison == null || comparison == Comparison.NEQ) {
                throw new RuleException(fieldPath, "unknown count operator '" + entry.getKey() + "'; expected eq, gte, lte, gt or lt");
            }
            JsonNode value = entry.getValue();
            if (!value.isIntegralNumber() || value.bigIntegerValue().signum() < 0 || value.bigIntegerValue().bitLength() > 31) {
                throw new RuleException(fieldPath, "must be a whole number ≥ 0");
            }
            checks.add(new NumberTest.Check(comparison, new BigDecimal(value.bigIntegerValue())));
        }
        return new NumberTest(List.copyOf(checks));
    }

    private static ValueTest valueTest(JsonNode node, String path) {
        if (!node.isObject() || node.isEmpty()) {
            throw new RuleException(path, "must be an object of operators, e.g. {\"eq\": \"pro\"}");
        }
        List<ValueTest.Check> checks = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String fieldPath = at(path, entry.getKey());
            ValueTest.Operator operator = ValueTest.Operator.byKey(entry.getKey());
            if (operator == null) {
                throw new RuleException(fieldPath, "unknown operator '" + entry.getKey() + "'; expected eq, neq, gt, gte, lt, lte, in, contains or exists");
            }
            JsonNode value = entry.getValue();
            switch (operator) {
                case EQ, NEQ, CONTAINS -> scalar(value, fieldPath);
                case GT, GTE, LT, LTE -> {
                    if (!value.isNumber()) {
                        throw new RuleException(fieldPath, "must be a number");
                    }
                }
                case IN -> {
                    if (!value.isArray() || value.isEmpty() || value.size() > MAX_IN_VALUES) {
                        throw new RuleException(fieldPath, "must be an array of 1 to " + MAX_IN_VALUES + " values");
                    }
                    for (int i = 0; i < value.size(); i++) {
                        scalar(value.get(i), fieldPath + "[" + i + "]");
                    }
                }
                case EXISTS -> {
                    if (!value.isBoolean()) {
                        throw new RuleException(fieldPath, "must be true or false");
                    }
                }
            }
            checks.add(new ValueTest.Check(operator, value.deepCopy()));
        }
        return new ValueTest(List.copyOf(checks));
    }

    private static void scalar(JsonNode value, String path) {
        if (value.isTextual()) {
            if (value.textValue().length() > MAX_TEXT) {
                throw new RuleException(path, "must be at most " + MAX_TEXT + " characters");
            }
        } else if (!value.isNumber() && !value.isBoolean()) {
            throw new RuleException(path, value.isNull() ? "must not be null; test a missing value with {\"exists\": false}"
                    : "must be a string, a number or a boolean");
        }
    }

    private static Window window(JsonNode node, String path) {
        if (!node.has("within")) {
            return null;
        }
        String fieldPath = at(path, "within");
        JsonNode within = node.get("within");
        if (!within.isTextual()) {
            throw new RuleException(fieldPath, "must be an ISO-8601 period such as \"P30D\"");
        }
        try {
            return Window.parse(within.textValue());
        } catch (IllegalArgumentException e) {
            throw new RuleException(fieldPath, e.getMessage());
        }
    }

    private static List<String> pathKeys(String dotted, String path) {
        List<String> keys = List.of(dotted.split("\\.", -1));
        if (keys.size() > 10) {
            throw new RuleException(path, "a path has at most 10 parts");
        }
        for (String key : keys) {
            if (!PATH_KEY.matcher(key).matches()) {
                throw new RuleException(path, "'" + dotted + "' is not a usable path: each dot-separated part is 1-100 letters, digits, '_', '-' or spaces");
            }
        }
        return keys;
    }

    private static String text(JsonNode node, String path, String what) {
        if (node == null || !node.isTextual() || node.textValue().isBlank()) {
            throw new RuleException(path, "must be " + what + " (a non-empty string)");
        }
        if (node.textValue().length() > MAX_TEXT) {
            throw new RuleException(path, "must be at most " + MAX_TEXT + " characters");
        }
        return node.textValue();
    }

    private static void onlyFields(JsonNode node, String path, List<String> allowed) {
        Set<String> unknown = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            throw new RuleException(at(path, first), "unknown field '" + first + "'; this condition takes " + String.join(", ", allowed));
        }
    }

    static String at(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}

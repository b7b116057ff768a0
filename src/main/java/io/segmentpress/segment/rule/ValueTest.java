package io.segmentpress.segment.rule;

import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Operators on a JSON value (an event property or a trait), all of which must hold.
 * <ul>
 * <li>{@code eq}, {@code neq}, {@code in}: a string equals a string exactly (case-sensitive), a
 * number equals a number numerically, a boolean a boolean; values of another type never equal.
 * {@code neq} is "not eq", so it holds when the value is missing.</li>
 * <li>{@code gt}, {@code gte}, {@code lt}, {@code lte}: the value is a number and compares so.</li>
 * <li>{@code contains}: a string value contains the given text, or an array value has an element
 * equal to the given value.</li>
 * <li>{@code exists}: {@code true} when the value is present and not null, {@code false} otherwise.</li>
 * </ul>
 */
public record ValueTest(List<Check> checks) {

    /** The operators a value test understands. */
    public enum Operator {
        EQ, NEQ, GT, GTE, LT, LTE, IN, CONTAINS, EXISTS;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Operator byKey(String key) {
            for (Operator operator : values()) {
                if (operator.key().equals(key)) {
                    return operator;
                }
            }
            return null;
        }
    }

    /** One operator with its operand ({@code in}: an array of scalars; {@code exists}: a boolean). */
    public record Check(Operator operator, JsonNode expected) {
    }

    /** Whether {@code actual} (null when missing) passes every check. */
    public boolean test(JsonNode actual) {
        for (Check check : checks) {
            if (!holds(check, actual)) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(Check check, JsonNode actual) {
        JsonNode expected = check.expected();
        return switch (check.operator()) {
            case EQ -> scalarEquals(actual, expected);
            case NEQ -> !scalarEquals(actual, expected);
            case GT -> isNumber(actual) && actual.doubleValue() > expected.doubleValue();
            case GTE -> isNumber(actual) && actual.doubleValue() >= expected.doubleValue();
            case LT -> isNumber(actual) && actual.doubleValue() < expected.doubleValue();
            case LTE -> isNumber(actual) && actual.doubleValue() <= expected.doubleValue();
            case IN -> anyEquals(actual, expected);
            case CONTAINS -> contains(actual, expected);
            case EXISTS -> present(actual) == expected.booleanValue();
        };
    }

    static boolean present(JsonNode actual) {
        return actual != null && !actual.isNull() && !actual.isMissingNode();
    }

    private static boolean isNumber(JsonNode actual) {
        return actual != null && actual.isNumber();
    }

    /** Equality of scalars as the rule language defines it; numbers compare as doubles (as SQL does). */
    static boolean scalarEquals(JsonNode actual, JsonNode expected) {
        if (!present(actual)) {
            return false;
        }
        if (expected.isTextual()) {
            return actual.isTextual() && actual.textValue().equals(expected.textValue());
        }
        if (expected.isNumber()) {
            return actual.isNumber() && actual.doubleValue() == expected.doubleValue();
        }
        if (expected.isBoolean()) {
            return actual.isBoolean() && actual.booleanValue() == expected.booleanValue();
        }
        return false;
    }

    private static boolean anyEquals(JsonNode actual, JsonNode candidates) {
        for (JsonNode candidate : candidates) {
            if (scalarEquals(actual, candidate)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(JsonNode actual, JsonNode expected) {
        if (!present(actual)) {
            return false;
        }
        if (actual.isTextual()) {
            return expected.isTextual() && actual.textValue().contains(expected.textValue());
        }
        if (actual.isArray()) {
            for (JsonNode element : actual) {
                if (scalarEquals(element, expected)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return checks.stream().map(c -> c.operator().key() + " " + c.expected()).collect(Collectors.joining(" and "));
    }
}

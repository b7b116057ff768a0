package io.segmentpress.segment.rule;

import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.segmentpress.common.Json;

/** Random valid rules over the names, properties and traits {@link RandomVisitors} produces. */
final class RandomRules {

    private static final List<String> COUNT_OPS = List.of("eq", "gte", "lte", "gt", "lt");
    private static final List<String> VALUE_OPS = List.of("eq", "neq", "gt", "gte", "lt", "lte", "in", "contains", "exists");
    private static final List<String> SCALARS = List.of("\"SAVE10\"", "\"save10\"", "\"ÉTÉ😀\"", "\"\"", "\"SAVE\"", "\"VE1\"", "10", "50", "49.99",
            "100", "0", "-3", "\"50\"", "true", "false", "\"gift\"", "3", "\"DE\"", "\"pro\"", "\"Pro\"", "12", "\"beta\"", "\"Berlin\"", "\"12\"");
    private static final List<String> PROPERTY_PATHS = List.of("properties.coupon", "properties.total", "properties.tags", "properties.express",
            "properties.address.country", "properties.address", "properties.order_id", "properties.nothing");
    private static final List<String> TRAITS = List.of("plan", "seats", "address.city", "address", "tags", "email");

    private final Random random;
    private final int maxDepth;

    RandomRules(Random random, int maxDepth) {
        this.random = random;
        this.maxDepth = maxDepth;
    }

    JsonNode next() {
        return condition(1);
    }

    private JsonNode condition(int depth) {
        if (depth < maxDepth && random.nextInt(10) < 4) {
            ObjectNode node = Json.MAPPER.createObjectNode();
            int kind = random.nextInt(3);
            if (kind == 2) {
                node.set("not", condition(depth + 1));
            } else {
                ArrayNode children = node.putArray(kind == 0 ? "all" : "any");
                int size = 1 + random.nextInt(3);
                for (int i = 0; i < size; i++) {
                    children.add(condition(depth + 1));
                }
            }
            return node;
        }
        return leaf();
    }

    private JsonNode leaf() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        switch (random.nextInt(10)) {
            case 0, 1, 2 -> {
                node.put("event", random.nextInt(10) == 0 ? "Never Happened" : pick(RandomVisitors.TRACK_NAMES));
                if (random.nextInt(3) > 0) {
                    ObjectNode count = node.putObject("count");
                    int comparisons = 1 + random.nextInt(2);
                    for (int i = 0; i < comparisons; i++) {
                        count.put(pick(COUNT_OPS), random.nextInt(4));
                    }
                }
                if (random.nextInt(3) > 0) {
                    node.put("within", pick(RandomVisitors.WINDOWS));
                }
                if (random.nextInt(3) == 0) {
                    ObjectNode where = node.putObject("where");
                    int tests = 1 + random.nextInt(2);
                    for (int i = 0; i < tests; i++) {
                        where.set(pick(PROPERTY_PATHS), valueTest(Json.MAPPER.createObjectNode()));
                    }
                }
            }
            case 3, 4 -> {
                node.put("trait", pick(TRAITS));
                valueTest(node);
            }
            case 5, 6 -> {
                String metric = pick(List.of("orders", "revenue", "aov", "page_views", "sessions", "active_days", "engaged_seconds"));
                node.put("metric", metric);
                if (random.nextBoolean()) {
                    node.put("within", pick(RandomVisitors.WINDOWS));
                }
                int comparisons = 1 + random.nextInt(2);
                for (int i = 0; i < comparisons; i++) {
                    String op = pick(List.of("eq", "neq", "gt", "gte", "lt", "lte"));
                    switch (metric) {
                        case "revenue", "aov" -> node.set(op, Json.readTree(pick(List.of("0", "9.99", "25", "33.33", "54.995", "100", "120.5", "200"))));
                        case "engaged_seconds" -> node.put(op, random.nextInt(1200));
                        default -> node.put(op, random.nextInt(6));
                    }
                }
            }
            case 7 -> node.put("segment", pick(List.of("vip", "loyal", "power-user", "club", "interest:recipes", "stage:retention",
                    "stage:awareness", "regular")));
            case 8 -> node.put("interest", pick(List.of("recipes", "travel", "cars")));
            default -> node.put("stage", pick(List.of("awareness", "consideration", "decision", "retention", "advocacy")));
        }
        return node;
    }

    private ObjectNode valueTest(ObjectNode node) {
        int operators = 1 + (random.nextInt(4) == 0 ? 1 : 0);
        for (int i = 0; i < operators; i++) {
            String op = pick(VALUE_OPS);
            switch (op) {
                case "gt", "gte", "lt", "lte" -> node.set(op, Json.readTree(pick(List.of("0", "10", "49.99", "50", "12", "100", "-3"))));
                case "in" -> {
                    ArrayNode values = node.putArray("in");
                    int size = 1 + random.nextInt(3);
                    for (int v = 0; v < size; v++) {
                        values.add(Json.readTree(pick(SCALARS)));
                    }
                }
                case "exists" -> node.put("exists", random.nextBoolean());
                default -> node.set(op, Json.readTree(pick(SCALARS)));
            }
        }
        return node;
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}

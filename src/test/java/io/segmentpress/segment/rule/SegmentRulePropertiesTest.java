package io.segmentpress.segment.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.segmentpress.common.Json;

/**
 * Laws every rule obeys, checked on random rules and random visitors. A failure prints the seed;
 * set {@code -Drule.seed=...} to replay it.
 */
class SegmentRulePropertiesTest {

    static final long SEED = Long.getLong("rule.seed", 20260615L);
    static final Instant NOW = Instant.parse("2026-06-15T12:00:00.123Z");

    private static List<Facts> visitors(Random random, int count) {
        RandomVisitors generator = new RandomVisitors(random, NOW, RandomVisitors.ZONES.get(random.nextInt(RandomVisitors.ZONES.size())));
        List<Facts> visitors = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            visitors.add(generator.next().facts(NOW, RandomVisitors.ZONES.get(i % RandomVisitors.ZONES.size())));
        }
        return visitors;
    }

    private static ObjectNode wrap(String combinator, JsonNode... children) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        if (combinator.equals("not")) {
            node.set("not", children[0]);
        } else {
            ArrayNode array = node.putArray(combinator);
            for (JsonNode child : children) {
                array.add(child);
            }
        }
        return node;
    }

    @Test
    void negationCombinatorsAndRoundTripsAgreeOnRandomRulesAndVisitors() {
        Random random = new Random(SEED);
        RandomRules rules = new RandomRules(random, 4);
        List<Facts> visitors = visitors(random, 60);
        int checks = 0;
        for (int r = 0; r < 300; r++) {
            JsonNode a = rules.next();
            JsonNode b = rules.next();
            SegmentRule ruleA = SegmentRule.parse(a);
            SegmentRule ruleB = SegmentRule.parse(b);
            SegmentRule notA = SegmentRule.parse(wrap("not", a));
            SegmentRule doubleNot = SegmentRule.parse(wrap("not", wrap("not", a)));
            SegmentRule reparsed = SegmentRule.parse(Json.readTree(Json.write(ruleA.json())));
            SegmentRule notAll = SegmentRule.parse(wrap("not", wrap("all", a, b)));
            SegmentRule anyNot = SegmentRule.parse(wrap("any", wrap("not", a), wrap("not", b)));
            SegmentRule all = SegmentRule.parse(wrap("all", a, b));
            SegmentRule any = SegmentRule.parse(wrap("any", a, b));
            for (Facts visitor : visitors) {
                String context = "seed " + SEED + ", rules " + a + " / " + b;
                boolean inA = ruleA.matches(visitor);
                boolean inB = ruleB.matches(visitor);
                assertEquals(!inA, notA.matches(visitor), context);
                assertEquals(inA, doubleNot.matches(visitor), context);
                assertEquals(inA, reparsed.matches(visitor), context);
                assertEquals(notAll.matches(visitor), anyNot.matches(visitor), "De Morgan, " + context);
                assertEquals(inA && inB, all.matches(visitor), context);
                assertEquals(inA || inB, any.matches(visitor), context);
                if (inA) {
                    assertTrue(ruleA.evidence(visitor).length() <= SegmentRule.MAX_EVIDENCE, context);
                }
                checks++;
            }
        }
        assertTrue(checks >= 18_000);
    }

    @Test
    void longerWindowsNeverCountLess() {
        Random random = new Random(SEED + 1);
        List<Facts> visitors = visitors(random, 200);
        List<String> windows = List.of("PT12H", "P1D", "P7D", "P30D", "P90D", "P1Y");
        for (String metric : List.of("orders", "revenue", "page_views", "sessions", "active_days", "engaged_seconds")) {
            for (int threshold : new int[] { 1, 2, 3, 50 }) {
                for (Facts visitor : visitors) {
                    boolean before = false;
                    for (String window : windows) {
                        boolean now = SegmentRule.parse(Json.readTree("{\"metric\": \"" + metric + "\", \"within\": \"" + window + "\", \"gte\": " + threshold + "}"))
                                .matches(visitor);
                        assertTrue(!before || now, () -> "seed " + SEED + ": " + metric + " shrank when the window grew to " + window);
                        before = now;
                    }
                }
            }
        }
    }

    @Test
    void aBrokenPartAnywhereIsReportedAtItsPath() {
        Random random = new Random(SEED + 2);
        RandomRules rules = new RandomRules(random, 5);
        List<String> brokenLeaves = List.of("{\"event\": \"A\", \"within\": \"P3X\"}", "{\"metric\": \"ltv\", \"gte\": 1}",
                "{\"trait\": \"plan\", \"like\": \"p\"}", "{\"stage\": \"nirvana\"}", "{\"evnt\": \"A\"}");
        for (int r = 0; r < 300; r++) {
            JsonNode rule = rules.next();
            List<String> paths = new ArrayList<>();
            List<JsonNode> parents = new ArrayList<>();
            collectChildSlots(rule, "", paths, parents);
            if (paths.isEmpty()) {
                continue;
            }
            int slot = random.nextInt(paths.size());
            String leaf = brokenLeaves.get(random.nextInt(brokenLeaves.size()));
            String childPath = paths.get(slot);
            JsonNode parent = parents.get(slot);
            if (parent.has("not")) {
                ((ObjectNode) parent).set("not", Json.readTree(leaf));
            } else {
                ArrayNode children = (ArrayNode) (parent.has("all") ? parent.get("all") : parent.get("any"));
                int index = Integer.parseInt(childPath.substring(childPath.lastIndexOf('[') + 1, childPath.length() - 1));
                children.set(index, Json.readTree(leaf));
            }
            RuleException error = assertThrows(RuleException.class, () -> SegmentRule.parse(rule), () -> "seed " + SEED + ": " + rule);
            String reported = error.path();
            assertTrue(reported.startsWith(childPath) && reported.length() > childPath.length(),
                    () -> "seed " + SEED + ": broke " + childPath + " but got " + reported + " in " + rule);
        }
    }

    /** Every place a child condition sits: its path and the combinator node holding it. */
    private static void collectChildSlots(JsonNode node, String path, List<String> paths, List<JsonNode> parents) {
        for (String combinator : List.of("all", "any")) {
            if (node.has(combinator)) {
                JsonNode children = node.get(combinator);
                for (int i = 0; i < children.size(); i++) {
                    String childPath = RuleParser.at(path, combinator) + "[" + i + "]";
                    paths.add(childPath);
                    parents.add(node);
                    collectChildSlots(children.get(i), childPath, paths, parents);
                }
            }
        }
        if (node.has("not")) {
            String childPath = RuleParser.at(path, "not");
            paths.add(childPath);
            parents.add(node);
            collectChildSlots(node.get("not"), childPath, paths, parents);
        }
    }
}

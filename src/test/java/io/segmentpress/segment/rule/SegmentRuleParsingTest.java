package io.segmentpress.segment.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.segmentpress.common.Json;

class SegmentRuleParsingTest {

    static final String DESIGN_EXAMPLE = """
            {"all": [
              {"event": "Order Completed", "count": {"gte": 2}, "within": "P90D",
               "where": {"properties.coupon": {"exists": true}}},
              {"not": {"segment": "vip"}},
              {"any": [{"interest": "recipes"}, {"trait": "plan", "eq": "pro"}]},
              {"metric": "engaged_seconds", "within": "P30D", "gte": 600},
              {"event": "Signed In", "count": {"eq": 0}, "within": "P14D"}
            ]}""";

    static JsonNode json(String text) {
        return Json.readTree(text);
    }

    static RuleException refusal(String rule) {
        return assertThrows(RuleException.class, () -> SegmentRule.parse(json(rule)));
    }

    @Test
    void acceptsTheDesignExample() {
        SegmentRule rule = SegmentRule.parse(json(DESIGN_EXAMPLE));
        assertEquals(Set.of("vip"), rule.referencedSegments());
        assertEquals("all[1].not.segment", rule.segmentReferences().get(0).path());
    }

    @Test
    void pointsAtABadPeriod() {
        RuleException error = refusal("""
                {"all": [{"event": "A"}, {"event": "B"}, {"event": "C", "within": "P3X"}]}""");
        assertEquals("all[2].within", error.path());
        assertTrue(error.reason().contains("'P3X' is not an ISO-8601 period"), error.reason());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"evnt\": \"Order Completed\"}|evnt|unknown condition 'evnt'",
            "{}||empty condition",
            "[]||must be a condition object",
            "{\"all\": []}|all|non-empty array",
            "{\"all\": {\"event\": \"A\"}}|all|non-empty array",
            "{\"any\": [{\"event\": \"A\"}, 3]}|any[1]|must be a condition object",
            "{\"event\": \"A\", \"trait\": \"b\", \"eq\": 1}||combines 'event' and 'trait'",
            "{\"event\": \"\"}|event|non-empty string",
            "{\"event\": 12}|event|non-empty string",
            "{\"event\": \"A\", \"count\": {\"atleast\": 2}}|count.atleast|unknown count operator 'atleast'",
            "{\"event\": \"A\", \"count\": {\"gte\": -1}}|count.gte|whole number",
            "{\"event\": \"A\", \"count\": {\"gte\": 1.5}}|count.gte|whole number",
            "{\"event\": \"A\", \"count\": {\"gte\": \"2\"}}|count.gte|whole number",
            "{\"event\": \"A\", \"count\": 2}|count|object of comparisons",
            "{\"event\": \"A\", \"within\": 30}|within|ISO-8601 period",
            "{\"event\": \"A\", \"within\": \"P0D\"}|within|empty period",
            "{\"event\": \"A\", \"within\": \"P-3D\"}|within|not an ISO-8601 period",
            "{\"event\": \"A\", \"within\": \"P100Y\"}|within|longer than 10 years",
            "{\"event\": \"A\", \"when\": \"P3D\"}|when|unknown field 'when'",
            "{\"event\": \"A\", \"where\": {\"coupon\": {\"exists\": true}}}|where.coupon|start with 'properties.'",
            "{\"event\": \"A\", \"where\": {\"properties.coupon\": {\"like\": \"x\"}}}|where.properties.coupon.like|unknown operator 'like'",
            "{\"event\": \"A\", \"where\": {\"properties.coupon\": \"SAVE\"}}|where.properties.coupon|object of operators",
            "{\"event\": \"A\", \"where\": {\"properties.total\": {\"gt\": \"10\"}}}|where.properties.total.gt|must be a number",
            "{\"event\": \"A\", \"where\": {\"properties.a\": {\"in\": []}}}|where.properties.a.in|array of 1 to 100",
            "{\"event\": \"A\", \"where\": {\"properties.a\": {\"in\": [1, {}]}}}|where.properties.a.in[1]|string, a number or a boolean",
            "{\"event\": \"A\", \"where\": {\"properties.a\": {\"eq\": null}}}|where.properties.a.eq|exists",
            "{\"event\": \"A\", \"where\": {\"properties.a\": {\"exists\": \"yes\"}}}|where.properties.a.exists|true or false",
            "{\"event\": \"A\", \"where\": {\"properties.a..b\": {\"exists\": true}}}|where.properties.a..b|not a usable path",
            "{\"trait\": \"plan\"}||needs an operator",
            "{\"trait\": \"plan\", \"is\": \"pro\"}|is|unknown operator 'is'",
            "{\"trait\": \"plan\", \"within\": \"P3D\", \"eq\": 1}|within|unknown operator 'within'",
            "{\"metric\": \"ltv\", \"gte\": 3}|metric|unknown metric 'ltv'",
            "{\"metric\": \"orders\"}||needs a comparison",
            "{\"metric\": \"orders\", \"gte\": \"3\"}|gte|must be a number",
            "{\"metric\": \"orders\", \"in\": [1]}|in|unknown operator 'in'",
            "{\"metric\": \"orders\", \"gte\": 1, \"within\": \"1 month\"}|within|ISO-8601 period",
            "{\"segment\": \"VIP!\"}|segment|not a segment key",
            "{\"segment\": \"stage:nirvana\"}|segment|not a segment key",
            "{\"stage\": \"nirvana\"}|stage|unknown stage 'nirvana'",
            "{\"interest\": \"\"}|interest|non-empty string",
            "{\"not\": [{\"event\": \"A\"}]}|not|must be a condition object",
            "{\"not\": {\"event\": \"A\"}, \"extra\": 1}|extra|unknown field 'extra'",
    })
    void refusesWithThePathOfTheBrokenPart(String rule, String path, String reasonFragment) {
        RuleException error = refusal(rule);
        assertEquals(path == null ? "" : path, error.path(), error.getMessage());
        assertTrue(error.reason().contains(reasonFragment), () -> "'" + error.reason() + "' should mention '" + reasonFragment + "'");
    }

    @Test
    void refusesNestingDeeperThanTwentyLevels() {
        String rule = "{\"event\": \"A\"}";
        for (int i = 0; i < 20; i++) {
            rule = "{\"not\": " + rule + "}";
        }
        RuleException error = refusal(rule);
        assertEquals("not.".repeat(20).substring(0, 20 * 4 - 1), error.path());
        assertTrue(error.reason().contains("deeper than 20"));

        String twenty = "{\"event\": \"A\"}";
        for (int i = 0; i < 19; i++) {
            twenty = "{\"not\": " + twenty + "}";
        }
        SegmentRule.parse(json(twenty));
    }

    @Test
    void refusesHugeRules() {
        StringBuilder rule = new StringBuilder("{\"any\": [");
        for (int i = 0; i < 250; i++) {
            rule.append(i == 0 ? "" : ",").append("{\"event\": \"E").append(i).append("\"}");
        }
        rule.append("]}");
        assertTrue(refusal(rule.toString()).reason().contains("more than 200 conditions"));
    }

    @Test
    void acceptsStagesWithOrWithoutPrefixAndInterestsWithPrefix() {
        SegmentRule.parse(json("{\"all\": [{\"stage\": \"retention\"}, {\"stage\": \"stage:advocacy\"}, {\"interest\": \"interest:recipes\"}, {\"segment\": \"interest:recipes\"}]}"));
    }

    @Test
    void acceptsCombinedPeriods() {
        SegmentRule.parse(json("{\"any\": [{\"event\": \"A\", \"within\": \"P1DT12H\"}, {\"event\": \"A\", \"within\": \"PT12H\"}, {\"event\": \"A\", \"within\": \"P1M\"}, {\"event\": \"A\", \"within\": \"P2W\"}]}"));
    }
}

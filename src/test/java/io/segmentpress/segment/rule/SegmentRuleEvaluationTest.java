package io.segmentpress.segment.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.segmentpress.common.Json;

class SegmentRuleEvaluationTest {

    static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");

    static EventFact track(String name, Duration ago, String properties) {
        return new EventFact("track", name, NOW.minus(ago), null, null, null, properties == null ? null : Json.readTree(properties));
    }

    static EventFact order(String orderId, String revenue, Duration ago) {
        return new EventFact("track", "Order Completed", NOW.minus(ago), null, new BigDecimal(revenue), null,
                Json.readTree("{\"order_id\": \"" + orderId + "\", \"revenue\": " + revenue + "}"));
    }

    static EventFact refund(String orderId, String amount, Duration ago) {
        return new EventFact("track", "Order Refunded", NOW.minus(ago), null, amount == null ? null : new BigDecimal(amount), null,
                Json.readTree("{\"order_id\": \"" + orderId + "\"}"));
    }

    static EventFact page(Instant at) {
        return new EventFact("page", "Home", at, 1L, null, null, null);
    }

    static boolean matches(String rule, VisitorFacts facts) {
        return SegmentRule.parse(Json.readTree(rule)).matches(facts);
    }

    static Duration days(long days) {
        return Duration.ofDays(days);
    }

    @Test
    void designExampleMatchesTheVisitorItDescribes() {
        Facts facts = Facts.of(NOW, List.of(
                track("Order Completed", days(10), "{\"coupon\": \"SPRING\"}"),
                track("Order Completed", days(40), "{\"coupon\": \"SUMMER\"}"),
                track("Signed In", days(20), null),
                new EventFact("track", "Content Engaged", NOW.minus(days(2)), 5L, null, 700, null)))
                .withTraits(Map.of("plan", "pro")).withSegments(Set.of("loyal"));
        SegmentRule rule = SegmentRule.parse(Json.readTree(SegmentRuleParsingTest.DESIGN_EXAMPLE));
        assertTrue(rule.matches(facts));
        assertEquals("'Order Completed' (filtered) 2 times in P90D; not (not in vip); trait plan = \"pro\"; engaged_seconds 700 in P30D; 'Signed In' 0 times in P14D",
                rule.evidence(facts));

        assertFalse(rule.matches(facts.withSegments(Set.of("vip"))), "a vip is excluded");
        assertFalse(rule.matches(facts.withTraits(Map.of("plan", "free"))), "neither interest nor plan");
        assertTrue(rule.matches(facts.withTraits(Map.of()).withInterests(Set.of("recipes"))), "interest instead of plan");
    }

    @Test
    void didNotDoHoldsForAVisitorWithoutAnyEvents() {
        String rule = "{\"event\": \"Signed In\", \"count\": {\"eq\": 0}, \"within\": \"P14D\"}";
        assertTrue(matches(rule, Facts.of(NOW, List.of())));
        assertTrue(matches(rule, Facts.of(NOW, List.of(track("Signed In", days(15), null)))), "outside the window");
        assertFalse(matches(rule, Facts.of(NOW, List.of(track("Signed In", days(13), null)))));
    }

    @Test
    void eventWithoutCountMeansAtLeastOnce() {
        assertFalse(matches("{\"event\": \"Signed Up\"}", Facts.of(NOW, List.of())));
        assertTrue(matches("{\"event\": \"Signed Up\"}", Facts.of(NOW, List.of(track("Signed Up", days(300), null)))));
    }

    @Test
    void windowStartIsInclusive() {
        String rule = "{\"event\": \"A\", \"within\": \"P7D\"}";
        assertTrue(matches(rule, Facts.of(NOW, List.of(track("A", days(7), null)))));
        assertFalse(matches(rule, Facts.of(NOW, List.of(track("A", days(7).plusMillis(1), null)))));
    }

    @Test
    void calendarPeriodsFollowTheSiteCalendar() {
        // P1M back from 31 March is 28 February (2026 is no leap year)
        Instant now = Instant.parse("2026-03-31T10:00:00Z");
        Facts facts = Facts.of(now, List.of(new EventFact("track", "A", Instant.parse("2026-02-28T10:00:00Z"), null, null, null, null)));
        assertTrue(matches("{\"event\": \"A\", \"within\": \"P1M\"}", facts));
        assertFalse(matches("{\"event\": \"A\", \"within\": \"P30D\"}", facts));
    }

    @Test
    void propertyTestsFollowTheirTypes() {
        Facts facts = Facts.of(NOW, List.of(track("Order Completed", days(1),
                "{\"coupon\": \"SAVE10\", \"total\": 50, \"tags\": [\"gift\", 3], \"express\": true, \"gift\": null, \"address\": {\"country\": \"DE\"}}")));
        assertTrue(matches(event("{\"properties.coupon\": {\"eq\": \"SAVE10\"}}"), facts));
        assertFalse(matches(event("{\"properties.coupon\": {\"eq\": \"save10\"}}"), facts), "strings compare case-sensitively");
        assertTrue(matches(event("{\"properties.coupon\": {\"contains\": \"VE1\"}}"), facts));
        assertTrue(matches(event("{\"properties.total\": {\"eq\": 50.0, \"gte\": 50, \"lt\": 51}}"), facts));
        assertFalse(matches(event("{\"properties.total\": {\"eq\": \"50\"}}"), facts), "a number never equals a string");
        assertFalse(matches(event("{\"properties.coupon\": {\"gt\": 1}}"), facts), "a string is not greater than anything");
        assertTrue(matches(event("{\"properties.tags\": {\"contains\": \"gift\"}}"), facts));
        assertTrue(matches(event("{\"properties.tags\": {\"contains\": 3}}"), facts));
        assertFalse(matches(event("{\"properties.tags\": {\"contains\": \"gif\"}}"), facts), "array elements match whole");
        assertTrue(matches(event("{\"properties.express\": {\"eq\": true}}"), facts));
        assertTrue(matches(event("{\"properties.gift\": {\"exists\": false}}"), facts), "null counts as missing");
        assertTrue(matches(event("{\"properties.missing\": {\"neq\": \"x\"}}"), facts), "neq holds for a missing value");
        assertTrue(matches(event("{\"properties.address.country\": {\"in\": [\"AT\", \"DE\"]}}"), facts));
        assertFalse(matches(event("{\"properties.address.country.code\": {\"exists\": true}}"), facts));
    }

    private static String event(String where) {
        return "{\"event\": \"Order Completed\", \"where\": " + where + "}";
    }

    @Test
    void traitsCompareLikeProperties() {
        Facts facts = Facts.of(NOW, List.of()).withTraits(Map.of("plan", "pro", "seats", 12, "address", Map.of("city", "Berlin")));
        assertTrue(matches("{\"trait\": \"seats\", \"gte\": 10, \"lt\": 20}", facts));
        assertTrue(matches("{\"trait\": \"address.city\", \"eq\": \"Berlin\"}", facts));
        assertTrue(matches("{\"trait\": \"email\", \"exists\": false}", facts));
        assertFalse(matches("{\"trait\": \"plan\", \"in\": [\"free\", \"team\"]}", facts));
    }

    @Test
    void ordersExcludeFullRefundsButNotPartialOnes() {
        Facts facts = Facts.of(NOW, List.of(
                order("A", "100.00", days(5)), order("B", "80.00", days(6)), order("C", "20.00", days(7)), order("D", "40.00", days(8)),
                refund("A", "100.00", days(1)), // full
                refund("B", "30.00", days(1)), refund("B", "50.00", days(1)), // full in two parts
                refund("C", "5.00", days(1)), // partial
                refund("D", null, days(1)))); // no amount: the whole order
        assertTrue(matches("{\"metric\": \"orders\", \"eq\": 1}", facts));
        assertTrue(matches("{\"metric\": \"revenue\", \"eq\": 20}", facts));
        assertTrue(matches("{\"metric\": \"aov\", \"eq\": 20}", facts));
    }

    @Test
    void averageOrderValueComparesExactlyAndNeverHoldsWithoutOrders() {
        Facts threeOrders = Facts.of(NOW, List.of(order("A", "10.00", days(1)), order("B", "10.00", days(2)), order("C", "11.00", days(3))));
        assertTrue(matches("{\"metric\": \"aov\", \"gt\": 10.33, \"lt\": 10.34}", threeOrders));
        assertFalse(matches("{\"metric\": \"aov\", \"eq\": 10.33}", threeOrders));
        Facts none = Facts.of(NOW, List.of());
        assertFalse(matches("{\"metric\": \"aov\", \"gte\": 0}", none));
        assertFalse(matches("{\"metric\": \"aov\", \"neq\": 5}", none));
        assertTrue(matches("{\"not\": {\"metric\": \"aov\", \"gte\": 0}}", none));
    }

    @Test
    void sessionsSplitAtGapsLongerThanThirtyMinutes() {
        Instant start = NOW.minus(days(1));
        List<EventFact> events = new ArrayList<>();
        events.add(page(start));
        events.add(page(start.plus(Duration.ofMinutes(30)))); // exactly 30 min: same session
        events.add(page(start.plus(Duration.ofMinutes(61)))); // 31 min later: new session
        events.add(page(start.plus(Duration.ofMinutes(61))));
        Facts facts = Facts.of(NOW, events);
        assertTrue(matches("{\"metric\": \"sessions\", \"eq\": 2}", facts));
        assertTrue(matches("{\"metric\": \"page_views\", \"eq\": 4}", facts));
    }

    @Test
    void activeDaysAreCalendarDaysInTheSiteZone() {
        // one UTC day, but two calendar days in Berlin
        Instant late = Instant.parse("2026-06-10T21:30:00Z"); // 23:30 in Berlin
        Instant later = Instant.parse("2026-06-10T22:30:00Z"); // 00:30 next day in Berlin
        Facts facts = Facts.of(NOW, List.of(page(late), page(later)));
        assertTrue(matches("{\"metric\": \"active_days\", \"eq\": 1}", facts));
        assertTrue(matches("{\"metric\": \"active_days\", \"eq\": 2}", facts.withZone(ZoneId.of("Europe/Berlin"))));
    }

    @Test
    void segmentInterestAndStageLeaves() {
        Facts facts = Facts.of(NOW, List.of()).withSegments(Set.of("vip", "interest:travel")).withStage("stage:retention");
        assertTrue(matches("{\"segment\": \"vip\"}", facts));
        assertTrue(matches("{\"segment\": \"stage:retention\"}", facts));
        assertTrue(matches("{\"interest\": \"travel\"}", facts));
        assertTrue(matches("{\"stage\": \"retention\"}", facts));
        assertFalse(matches("{\"stage\": \"awareness\"}", facts));
        assertTrue(matches("{\"stage\": \"awareness\"}", facts.withStage(null)), "no stage yet means awareness");
    }

    @Test
    void evidenceIsCutToTheColumnSize() {
        StringBuilder rule = new StringBuilder("{\"all\": [");
        for (int i = 0; i < 100; i++) {
            rule.append(i == 0 ? "" : ",").append("{\"event\": \"A rather long event name number ").append(i).append("\", \"count\": {\"eq\": 0}}");
        }
        JsonNode json = Json.readTree(rule.append("]}").toString());
        assertEquals(SegmentRule.MAX_EVIDENCE, SegmentRule.parse(json).evidence(Facts.of(NOW, List.of())).length());
    }
}

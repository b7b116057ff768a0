package io.segmentpress.segment.rule;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.segmentpress.common.Json;

/**
 * One visitor's facts while a rule is evaluated, with the figures several leaves may share
 * computed once. "Now" is cut to milliseconds, the precision events are stored with, so the
 * in-memory and the SQL evaluation see the same window boundaries.
 */
final class Evaluation {

    final VisitorFacts facts;
    final Instant now;
    final ZoneId zone;
    private JsonNode traits;
    private final Map<String, BigDecimal> metricValues = new HashMap<>();

    Evaluation(VisitorFacts facts) {
        this.facts = facts;
        this.now = facts.now().truncatedTo(ChronoUnit.MILLIS);
        this.zone = facts.zone();
    }

    Instant from(Window window) {
        return window == null ? null : window.cutoff(now, zone);
    }

    JsonNode traits() {
        if (traits == null) {
            traits = facts.traits() == null ? Json.MAPPER.createObjectNode() : Json.MAPPER.valueToTree(facts.traits());
        }
        return traits;
    }

    /** The metric's value in the window; null for an average order value without orders. */
    BigDecimal metric(Metric metric, Window window) {
        String key = metric.key() + "/" + window;
        if (metricValues.containsKey(key)) {
            return metricValues.get(key);
        }
        List<EventFact> events = facts.events();
        Instant from = from(window);
        BigDecimal value = switch (metric) {
            case ORDERS -> BigDecimal.valueOf(Metrics.orders(events, from).size());
            case REVENUE -> Metrics.revenue(Metrics.orders(events, from));
            case AOV -> {
                List<EventFact> orders = Metrics.orders(events, from);
                yield orders.isEmpty() ? null : Metrics.revenue(orders).divide(BigDecimal.valueOf(orders.size()), 10, RoundingMode.HALF_UP);
            }
            case PAGE_VIEWS -> BigDecimal.valueOf(Metrics.pageViews(events, from));
            case SESSIONS -> BigDecimal.valueOf(Metrics.sessions(events, from));
            case ACTIVE_DAYS -> BigDecimal.valueOf(Metrics.activeDays(events, from, zone));
            case ENGAGED_SECONDS -> BigDecimal.valueOf(Metrics.engagedSeconds(events, from));
        };
        metricValues.put(key, value);
        return value;
    }

    /** Orders and revenue in the window, for comparing an average order value without rounding. */
    BigDecimal[] ordersAndRevenue(Window window) {
        List<EventFact> orders = Metrics.orders(facts.events(), from(window));
        return new BigDecimal[] { BigDecimal.valueOf(orders.size()), Metrics.revenue(orders) };
    }
}

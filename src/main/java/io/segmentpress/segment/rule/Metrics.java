package io.segmentpress.segment.rule;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The visitor aggregates of segments.md, computed from a visitor's events in memory. Every
 * figure counts the events that occurred at or after {@code from} (pass {@code null} for "ever").
 * <ul>
 * <li>order: an {@code Order Completed} event, unless its {@code order_id} was refunded in full
 * ({@code Order Refunded} events for that id whose amounts add up to at least the order's revenue,
 * or one without an amount), whenever the refund came;</li>
 * <li>session: events separated by more than 30 minutes start a new session;</li>
 * <li>active day: a calendar day, in the site's time zone, with at least one event.</li>
 * </ul>
 */
public final class Metrics {

    public static final String ORDER_COMPLETED = "Order Completed";
    public static final String ORDER_REFUNDED = "Order Refunded";
    public static final Duration SESSION_GAP = Duration.ofMinutes(30);

    private Metrics() {
    }

    /** Orders placed in the window that were not refunded in full. */
    public static List<EventFact> orders(List<EventFact> events, Instant from) {
        Map<String, Refunds> refunds = refundsByOrder(events);
        return events.stream()
                .filter(e -> ORDER_COMPLETED.equals(e.name()) && inWindow(e, from))
                .filter(e -> !fullyRefunded(e, refunds))
                .toList();
    }

    public static BigDecimal revenue(List<EventFact> orders) {
        BigDecimal sum = BigDecimal.ZERO;
        for (EventFact order : orders) {
            if (order.revenue() != null) {
                sum = sum.add(order.revenue());
            }
        }
        return sum;
    }

    public static long pageViews(List<EventFact> events, Instant from) {
        return events.stream().filter(e -> "page".equals(e.type()) && inWindow(e, from)).count();
    }

    public static long engagedSeconds(List<EventFact> events, Instant from) {
        long sum = 0;
        for (EventFact event : events) {
            if (event.engagedSeconds() != null && inWindow(event, from)) {
                sum += event.engagedSeconds();
            }
        }
        return sum;
    }

    /** Sessions among the events in the window; events must be ordered oldest first. */
    public static long sessions(List<EventFact> events, Instant from) {
        long sessions = 0;
        Instant previous = null;
        for (EventFact event : events) {
            if (!inWindow(event, from)) {
                continue;
            }
            if (previous == null || Duration.between(previous, event.occurredAt()).compareTo(SESSION_GAP) > 0) {
                sessions++;
            }
            previous = event.occurredAt();
        }
        return sessions;
    }

    public static long activeDays(List<EventFact> events, Instant from, ZoneId zone) {
        Set<LocalDate> days = new HashSet<>();
        for (EventFact event : events) {
            if (inWindow(event, from)) {
                days.add(LocalDate.ofInstant(event.occurredAt(), zone));
            }
        }
        return days.size();
    }

    /** The {@code order_id} property as text; null when absent or empty. */
    public static String orderId(EventFact event) {
        JsonNode properties = event.properties();
        JsonNode id = properties == null ? null : properties.get("order_id");
        if (id == null || id.isNull() || id.isContainerNode()) {
            return null;
        }
        String text = id.asText();
        return text.isEmpty() ? null : text;
    }

    static boolean inWindow(EventFact event, Instant from) {
        return from == null || !event.occurredAt().isBefore(from);
    }

    private record Refunds(BigDecimal amount, boolean withoutAmount) {
    }

    private static Map<String, Refunds> refundsByOrder(List<EventFact> events) {
        Map<String, Refunds> refunds = new HashMap<>();
        for (EventFact event : events) {
            if (!ORDER_REFUNDED.equals(event.name())) {
                continue;
            }
            String orderId = orderId(event);
            if (orderId == null) {
                continue;
            }
            Refunds before = refunds.getOrDefault(orderId, new Refunds(BigDecimal.ZERO, false));
            refunds.put(orderId, event.revenue() == null ? new Refunds(before.amount(), true)
                    : new Refunds(before.amount().add(event.revenue()), before.withoutAmount()));
        }
        return refunds;
    }

    private static boolean fullyRefunded(EventFact order, Map<String, Refunds> refunds) {
        String orderId = orderId(order);
        Refunds refund = orderId == null ? null : refunds.get(orderId);
        if (refund == null) {
            return false;
        }
        BigDecimal orderRevenue = order.revenue() == null ? BigDecimal.ZERO : order.revenue();
        return refund.withoutAmount() || refund.amount().compareTo(orderRevenue) >= 0;
    }
}

package io.segmentpress.segment;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A visitor's orders: {@code Order Completed} events minus those refunded in full (an
 * {@code Order Refunded} with the same {@code order_id} and a total at least the order's, or
 * without a total). The same order id completed twice counts once.
 */
final class OrderLedger {

    static final String ORDER_COMPLETED = "Order Completed";
    static final String ORDER_REFUNDED = "Order Refunded";

    /** One counted order. */
    record Order(long occurredAtMillis, BigDecimal revenue, boolean discounted) {
    }

    private final Map<String, Order> completed = new LinkedHashMap<>();
    private Map<String, BigDecimal> refunded;
    private int anonymousOrders;

    void accept(EventRow event) {
        if (!"track".equals(event.type()) || event.name() == null) {
            return;
        }
        if (ORDER_COMPLETED.equals(event.name())) {
            boolean discounted = (event.coupon() != null && !event.coupon().isBlank())
                    || (event.discount() != null && event.discount().signum() > 0);
            BigDecimal revenue = event.revenue() == null ? BigDecimal.ZERO : event.revenue();
            String key = event.orderId() != null ? event.orderId() : "\u0000" + anonymousOrders++;
            completed.putIfAbsent(key, new Order(event.occurredAtMillis(), revenue, discounted));
        } else if (ORDER_REFUNDED.equals(event.name()) && event.orderId() != null) {
            if (refunded == null) {
                refunded = new HashMap<>();
            }
            // a refund without a total is a full refund; keep the largest refund seen
            BigDecimal total = event.revenue() == null ? FULL_REFUND : event.revenue();
            refunded.merge(event.orderId(), total, BigDecimal::max);
        }
    }

    private static final BigDecimal FULL_REFUND = new BigDecimal("1e30");

    /** The counted orders, oldest first. */
    List<Order> orders() {
        List<Order> orders = new ArrayList<>(completed.size());
        for (Map.Entry<String, Order> entry : completed.entrySet()) {
            BigDecimal refund = refunded == null ? null : refunded.get(entry.getKey());
            if (refund == null || refund.compareTo(entry.getValue().revenue()) < 0) {
                orders.add(entry.getValue());
            }
        }
        orders.sort((a, b) -> Long.compare(a.occurredAtMillis(), b.occurredAtMillis()));
        return orders;
    }
}

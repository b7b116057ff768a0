package io.segmentpress.segment;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Everything the built-in segments are decided on for one visitor, computed from the visitor's
 * events as of one moment. Written to {@code visitor_profile}; RFM scores are filled in against
 * the site's customers by {@link SiteStats}. {@code readHistory} is every item the visitor has an
 * event for, with when it was last touched.
 */
record VisitorProfile(
        long visitorId,
        String userId,
        long firstSeenMillis,
        long lastSeenMillis,
        int sessions,
        int pageViews,
        int activeDays30,
        int activeDaysPrevious30,
        long lastActiveDay,
        long engagedSeconds,
        BigDecimal averageScrollDepth,
        List<OrderLedger.Order> orders,
        BigDecimal revenue,
        BigDecimal averageOrderValue,
        int discountedOrders,
        int cartAddsInWindow,
        String lastDecisionEvent,
        long lastDecisionMillis,
        String lastAdvocacyEvent,
        long lastAdvocacyMillis,
        String considerationSignal,
        Map<String, InterestScore> interests,
        ReadHistory readHistory) {

    /** A category's part in the visitor's reading: decayed weight, share of all weight, and plain read count. */
    record InterestScore(double weight, double share, int reads) {
    }

    int orderCount() {
        return orders.size();
    }

    boolean isCustomer() {
        return !orders.isEmpty();
    }

    Long firstOrderMillis() {
        return orders.isEmpty() ? null : orders.get(0).occurredAtMillis();
    }

    Long lastOrderMillis() {
        return orders.isEmpty() ? null : orders.get(orders.size() - 1).occurredAtMillis();
    }
}

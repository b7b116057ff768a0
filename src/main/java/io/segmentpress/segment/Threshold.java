package io.segmentpress.segment;

/**
 * Every number a built-in segment definition uses, with its default and allowed range. A site
 * overrides them under {@code segments.<group>.<name>} in its settings (see {@link SegmentSettings}).
 */
public enum Threshold {

    VIP_MIN_ORDERS("vip", "minOrders", 3, 1, 1000, "orders in the window needed"),
    VIP_WINDOW_DAYS("vip", "windowDays", 365, 1, 400, "days the orders are counted in"),
    VIP_AOV_PERCENTILE("vip", "aovPercentile", 75, 1, 99, "percentile of the site's customers' average order value the visitor's must reach"),
    LOYAL_MIN_ORDERS("loyal", "minOrders", 2, 1, 1000, "orders in the window needed"),
    LOYAL_WINDOW_DAYS("loyal", "windowDays", 180, 1, 400, "days the orders are counted in"),
    LOYAL_LAST_ORDER_DAYS("loyal", "lastOrderWithinDays", 60, 1, 400, "the last order must be this recent"),
    BARGAIN_MIN_ORDERS("bargainHunter", "minOrders", 2, 1, 1000, "orders needed"),
    BARGAIN_DISCOUNTED_PERCENT("bargainHunter", "discountedPercent", 50, 1, 100, "share of orders with a coupon or discount, in percent"),
    ONE_TIME_OLDER_THAN_DAYS("oneTimeBuyer", "olderThanDays", 14, 0, 400, "the single order is older than this"),
    WINDOW_SHOPPER_MIN_CART_ADDS("windowShopper", "minCartAdds", 2, 1, 1000, "Product Added events in the window needed"),
    WINDOW_SHOPPER_WINDOW_DAYS("windowShopper", "windowDays", 30, 1, 400, "days cart adds are counted in, and without an order"),
    LAPSED_NO_ORDER_DAYS("lapsedCustomer", "noOrderDays", 180, 1, 400, "days without an order"),
    POWER_USER_MIN_ACTIVE_DAYS("powerUser", "minActiveDays", 8, 2, 30, "active days in the last 30"),
    REGULAR_MIN_ACTIVE_DAYS("regular", "minActiveDays", 3, 2, 30, "active days in the last 30 (up to power-user's minimum minus one)"),
    AT_RISK_MIN_PREVIOUS_ACTIVE_DAYS("atRisk", "minPreviousActiveDays", 4, 1, 30, "active days in the 30 days before the last 30"),
    AT_RISK_MAX_RECENT_ACTIVE_DAYS("atRisk", "maxRecentActiveDays", 1, 0, 29, "at most this many active days in the last 30"),
    DORMANT_INACTIVE_DAYS("dormant", "inactiveDays", 60, 1, 400, "days without any activity"),
    INTEREST_MIN_SHARE_PERCENT("interest", "minSharePercent", 25, 1, 100, "share of the visitor's reading weight on the category, in percent"),
    INTEREST_MIN_READS("interest", "minReads", 3, 1, 1000, "reads in the category needed"),
    INTEREST_HALF_LIFE_DAYS("interest", "halfLifeDays", 30, 1, 400, "days after which a read counts half"),
    ADVOCACY_MIN_ORDERS("stage", "advocacyMinOrders", 3, 1, 1000, "orders that make a customer an advocate"),
    ADVOCACY_WINDOW_DAYS("stage", "advocacyWindowDays", 180, 1, 400, "days a review, share or referral counts for advocacy"),
    DECISION_WINDOW_DAYS("stage", "decisionWindowDays", 30, 1, 400, "days a cart add, checkout or sign-up counts for decision"),
    CONSIDERATION_MIN_SESSIONS("stage", "considerationMinSessions", 3, 1, 1000, "sessions that make a visitor considering");

    private final String group;
    private final String name;
    private final int defaultValue;
    private final int min;
    private final int max;
    private final String description;

    Threshold(String group, String name, int defaultValue, int min, int max, String description) {
        this.group = group;
        this.name = name;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.description = description;
    }

    public String group() {
        return group;
    }

    public String settingName() {
        return name;
    }

    /** The field name in settings documents and error messages, e.g. {@code segments.vip.minOrders}. */
    public String path() {
        return "segments." + group + "." + name;
    }

    public int defaultValue() {
        return defaultValue;
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    public String description() {
        return description;
    }
}

package io.segmentpress.segment;

import java.util.Locale;

/** The segments every site has without configuring anything (definitions: docs/segments.md). */
public enum BuiltInSegment {

    VIP("vip", "VIP customers", Family.PURCHASE, "At least 3 orders in the last 365 days and an average order value at or above the site's 75th percentile"),
    LOYAL("loyal", "Loyal customers", Family.PURCHASE, "At least 2 orders in the last 180 days, the last within 60 days"),
    BARGAIN_HUNTER("bargain-hunter", "Bargain hunters", Family.PURCHASE, "At least 2 orders, half or more of them with a coupon or discount"),
    ONE_TIME_BUYER("one-time-buyer", "One-time buyers", Family.PURCHASE, "Exactly one order, placed more than 14 days ago"),
    WINDOW_SHOPPER("window-shopper", "Window shoppers", Family.PURCHASE, "At least 2 cart adds in the last 30 days and no order in them"),
    LAPSED_CUSTOMER("lapsed-customer", "Lapsed customers", Family.PURCHASE, "Ordered before, but not in the last 180 days"),
    POWER_USER("power-user", "Power users", Family.ENGAGEMENT, "Active on 8 or more of the last 30 days"),
    REGULAR("regular", "Regulars", Family.ENGAGEMENT, "Active on 3 to 7 of the last 30 days"),
    OCCASIONAL("occasional", "Occasional visitors", Family.ENGAGEMENT, "Active on 1 or 2 of the last 30 days"),
    AT_RISK("at-risk", "At risk", Family.ENGAGEMENT, "Active on 4 or more days in the 30 days before the last 30, and on at most 1 day since"),
    DORMANT("dormant", "Dormant", Family.ENGAGEMENT, "No activity in the last 60 days (and not at risk)"),
    STAGE_ADVOCACY("stage:advocacy", "Advocacy", Family.STAGE, "3 or more orders, or a customer who reviewed, shared or referred in the last 180 days"),
    STAGE_RETENTION("stage:retention", "Retention", Family.STAGE, "Customers (at least one order) not in advocacy"),
    STAGE_DECISION("stage:decision", "Decision", Family.STAGE, "No order; added to cart, started checkout or signed up in the last 30 days"),
    STAGE_CONSIDERATION("stage:consideration", "Consideration", Family.STAGE, "No order; 3 or more sessions, viewed or searched products, or read consideration content"),
    STAGE_AWARENESS("stage:awareness", "Awareness", Family.STAGE, "Everyone else");

    /** Segment families as the API names them. */
    public enum Family {
        PURCHASE, ENGAGEMENT, INTEREST, STAGE, CUSTOM;

        public String apiName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final String INTEREST_PREFIX = "interest:";

    private final String key;
    private final String displayName;
    private final Family family;
    private final String description;

    BuiltInSegment(String key, String displayName, Family family, String description) {
        this.key = key;
        this.displayName = displayName;
        this.family = family;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String displayName() {
        return displayName;
    }

    public Family family() {
        return family;
    }

    public String description() {
        return description;
    }

    public static BuiltInSegment byKey(String key) {
        for (BuiltInSegment segment : values()) {
            if (segment.key.equals(key)) {
                return segment;
            }
        }
        return null;
    }
}

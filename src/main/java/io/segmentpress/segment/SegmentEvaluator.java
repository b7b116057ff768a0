package io.segmentpress.segment;

import static io.segmentpress.segment.Threshold.*;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides a visitor's built-in segments and journey stage from the profile, the site's customer
 * statistics and the site's thresholds, with the evidence for each membership. Pure: the same
 * inputs always give the same memberships.
 */
final class SegmentEvaluator {

    /** One segment the visitor is in, with the numbers that put it there. */
    record Membership(String key, String evidence) {
    }

    /** Everything decided for one visitor. */
    record Result(List<Membership> memberships, String stage, SiteStats.Rfm rfm) {
    }

    private final SegmentSettings settings;
    private final SiteTime time;
    private final SiteStats stats;
    private final BigDecimal aovThreshold;

    SegmentEvaluator(SegmentSettings settings, SiteTime time, SiteStats stats) {
        this.settings = settings;
        this.time = time;
        this.stats = stats;
        this.aovThreshold = stats.averageOrderValuePercentile(settings.get(VIP_AOV_PERCENTILE));
    }

    Result evaluate(VisitorProfile profile) {
        List<Membership> memberships = new ArrayList<>(6);
        purchase(profile, memberships);
        engagement(profile, memberships);
        interests(profile, memberships);
        Membership stage = stage(profile);
        memberships.add(stage);
        SiteStats.Rfm rfm = profile.isCustomer()
                ? stats.rfm(time.day(profile.lastOrderMillis()), time.today(), profile.orderCount(), profile.revenue())
                : null;
        return new Result(memberships, stage.key(), rfm);
    }

    private void purchase(VisitorProfile profile, List<Membership> into) {
        List<OrderLedger.Order> orders = profile.orders();
        if (orders.isEmpty()) {
            int cartAdds = profile.cartAddsInWindow();
            int window = settings.get(WINDOW_SHOPPER_WINDOW_DAYS);
            if (cartAdds >= settings.get(WINDOW_SHOPPER_MIN_CART_ADDS)) {
                into.add(new Membership(BuiltInSegment.WINDOW_SHOPPER.key(),
                        plural(cartAdds, "cart add") + " in " + window + " days; no order in " + window + " days"));
            }
            return;
        }
        long lastOrderAgo = time.daysAgo(profile.lastOrderMillis());

        int vipWindow = settings.get(VIP_WINDOW_DAYS);
        int vipOrders = ordersWithin(orders, vipWindow);
        if (vipOrders >= settings.get(VIP_MIN_ORDERS) && aovThreshold != null
                && profile.averageOrderValue().compareTo(aovThreshold) >= 0) {
            into.add(new Membership(BuiltInSegment.VIP.key(), plural(vipOrders, "order") + " in " + vipWindow + " days; AOV "
                    + money(profile.averageOrderValue()) + " ≥ site p" + settings.get(VIP_AOV_PERCENTILE) + " " + money(aovThreshold)));
        }

        int loyalWindow = settings.get(LOYAL_WINDOW_DAYS);
        int loyalOrders = ordersWithin(orders, loyalWindow);
        if (loyalOrders >= settings.get(LOYAL_MIN_ORDERS) && lastOrderAgo < settings.get(LOYAL_LAST_ORDER_DAYS)) {
            into.add(new Membership(BuiltInSegment.LOYAL.key(), plural(loyalOrders, "order") + " in " + loyalWindow
                    + " days; last order " + daysAgo(lastOrderAgo)));
        }

        int discounted = profile.discountedOrders();
        if (orders.size() >= settings.get(BARGAIN_MIN_ORDERS)
                && discounted * 100L >= (long) settings.get(BARGAIN_DISCOUNTED_PERCENT) * orders.size()) {
            into.add(new Membership(BuiltInSegment.BARGAIN_HUNTER.key(), discounted + " of " + plural(orders.size(), "order") + " ("
                    + Math.round(discounted * 100.0 / orders.size()) + "%) with a coupon or discount"));
        }

        if (orders.size() == 1 && lastOrderAgo > settings.get(ONE_TIME_OLDER_THAN_DAYS)) {
            into.add(new Membership(BuiltInSegment.ONE_TIME_BUYER.key(), "1 order, placed " + daysAgo(lastOrderAgo)));
        }

        int shopperWindow = settings.get(WINDOW_SHOPPER_WINDOW_DAYS);
        if (profile.cartAddsInWindow() >= settings.get(WINDOW_SHOPPER_MIN_CART_ADDS) && lastOrderAgo >= shopperWindow) {
            into.add(new Membership(BuiltInSegment.WINDOW_SHOPPER.key(), plural(profile.cartAddsInWindow(), "cart add") + " in "
                    + shopperWindow + " days; no order in " + shopperWindow + " days (last " + daysAgo(lastOrderAgo) + ")"));
        }

        int lapsedDays = settings.get(LAPSED_NO_ORDER_DAYS);
        if (lastOrderAgo >= lapsedDays) {
            into.add(new Membership(BuiltInSegment.LAPSED_CUSTOMER.key(), plural(orders.size(), "order") + "; none in "
                    + lapsedDays + " days (last " + daysAgo(lastOrderAgo) + ")"));
        }
    }

    private void engagement(VisitorProfile profile, List<Membership> into) {
        int recent = profile.activeDays30();
        int previous = profile.activeDaysPrevious30();
        if (recent >= settings.get(POWER_USER_MIN_ACTIVE_DAYS)) {
            into.add(new Membership(BuiltInSegment.POWER_USER.key(), "active on " + recent + " of the last 30 days"));
        } else if (recent >= settings.get(REGULAR_MIN_ACTIVE_DAYS)) {
            into.add(new Membership(BuiltInSegment.REGULAR.key(), "active on " + recent + " of the last 30 days"));
        } else if (recent >= 1) {
            into.add(new Membership(BuiltInSegment.OCCASIONAL.key(), "active on " + recent + " of the last 30 days"));
        }
        boolean atRisk = previous >= settings.get(AT_RISK_MIN_PREVIOUS_ACTIVE_DAYS) && recent <= settings.get(AT_RISK_MAX_RECENT_ACTIVE_DAYS);
        if (atRisk) {
            into.add(new Membership(BuiltInSegment.AT_RISK.key(), "active on " + previous + " days in the 30 before the last 30, on "
                    + recent + " in the last 30 (down " + Math.round((previous - recent) * 100.0 / previous) + "%)"));
        }
        long inactiveDays = time.today() - profile.lastActiveDay();
        int dormantDays = settings.get(DORMANT_INACTIVE_DAYS);
        if (!atRisk && inactiveDays >= dormantDays) {
            into.add(new Membership(BuiltInSegment.DORMANT.key(), "no activity in " + dormantDays + " days (last active "
                    + time.date(profile.lastActiveDay()) + ", " + inactiveDays + " days ago)"));
        }
    }

    private void interests(VisitorProfile profile, List<Membership> into) {
        double minShare = settings.get(INTEREST_MIN_SHARE_PERCENT) / 100.0;
        int minReads = settings.get(INTEREST_MIN_READS);
        for (Map.Entry<String, VisitorProfile.InterestScore> entry : profile.interests().entrySet()) {
            VisitorProfile.InterestScore score = entry.getValue();
            if (score.share() + 1e-9 >= minShare && score.reads() >= minReads) {
                into.add(new Membership(BuiltInSegment.INTEREST_PREFIX + entry.getKey(), Math.round(score.share() * 100)
                        + "% of reading weight on " + entry.getKey() + " (" + plural(score.reads(), "read") + ")"));
            }
        }
    }

    private Membership stage(VisitorProfile profile) {
        int orders = profile.orderCount();
        if (orders >= settings.get(ADVOCACY_MIN_ORDERS)) {
            return new Membership(BuiltInSegment.STAGE_ADVOCACY.key(), plural(orders, "order"));
        }
        int advocacyWindow = settings.get(ADVOCACY_WINDOW_DAYS);
        if (orders >= 1 && profile.lastAdvocacyEvent() != null && time.within(profile.lastAdvocacyMillis(), advocacyWindow)) {
            return new Membership(BuiltInSegment.STAGE_ADVOCACY.key(), "customer; " + profile.lastAdvocacyEvent() + " "
                    + daysAgo(time.daysAgo(profile.lastAdvocacyMillis())));
        }
        if (orders >= 1) {
            return new Membership(BuiltInSegment.STAGE_RETENTION.key(), plural(orders, "order"));
        }
        int decisionWindow = settings.get(DECISION_WINDOW_DAYS);
        if (profile.lastDecisionEvent() != null && time.within(profile.lastDecisionMillis(), decisionWindow)) {
            return new Membership(BuiltInSegment.STAGE_DECISION.key(), "no order; " + profile.lastDecisionEvent() + " "
                    + daysAgo(time.daysAgo(profile.lastDecisionMillis())));
        }
        if (profile.sessions() >= settings.get(CONSIDERATION_MIN_SESSIONS)) {
            return new Membership(BuiltInSegment.STAGE_CONSIDERATION.key(), "no order; " + plural(profile.sessions(), "session"));
        }
        if (profile.considerationSignal() != null) {
            return new Membership(BuiltInSegment.STAGE_CONSIDERATION.key(), "no order; " + profile.considerationSignal());
        }
        return new Membership(BuiltInSegment.STAGE_AWARENESS.key(), plural(profile.sessions(), "session") + ", no order");
    }

    private int ordersWithin(List<OrderLedger.Order> orders, int days) {
        int count = 0;
        for (int i = orders.size() - 1; i >= 0 && time.within(orders.get(i).occurredAtMillis(), days); i--) {
            count++;
        }
        return count;
    }

    private static String daysAgo(long days) {
        return days == 0 ? "today" : days == 1 ? "1 day ago" : days + " days ago";
    }

    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    static String money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }
}

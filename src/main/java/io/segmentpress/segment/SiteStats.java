package io.segmentpress.segment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;

/**
 * What the site's customers look like as a whole: the AOV percentile the VIP segment compares
 * against, and the sorted recency/frequency/monetary values RFM scores are ranked in.
 */
final class SiteStats {

    /** Below this many customers quintiles say nothing; RFM scores stay empty. */
    static final int MIN_CUSTOMERS_FOR_RFM = 20;

    /** One customer's figures, as needed for ranking. */
    record Customer(long visitorId, long lastOrderDay, int orders, BigDecimal revenue, BigDecimal averageOrderValue) {
    }

    record Rfm(Integer recency, Integer frequency, Integer monetary, String cell, String evidence) {
    }

    private final int customers;
    private final long[] lastOrderDays;
    private final int[] orderCounts;
    private final double[] revenues;
    private final BigDecimal[] averageOrderValues;

    private SiteStats(Collection<Customer> customers) {
        this.customers = customers.size();
        lastOrderDays = customers.stream().mapToLong(Customer::lastOrderDay).sorted().toArray();
        orderCounts = customers.stream().mapToInt(Customer::orders).sorted().toArray();
        revenues = customers.stream().mapToDouble(c -> c.revenue().doubleValue()).sorted().toArray();
        averageOrderValues = customers.stream().map(Customer::averageOrderValue).sorted().toArray(BigDecimal[]::new);
    }

    static SiteStats of(Collection<Customer> customers) {
        return new SiteStats(customers);
    }

    int customers() {
        return customers;
    }

    /** The nearest-rank percentile of customers' average order values, or null without customers. */
    BigDecimal averageOrderValuePercentile(int percentile) {
        if (customers == 0) {
            return null;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * customers);
        return averageOrderValues[Math.max(0, rank - 1)].setScale(2, RoundingMode.HALF_UP);
    }

    /** Rank-based quintile scores (5 = the best fifth) and the standard RFM cell of one customer. */
    Rfm rfm(long lastOrderDay, long today, int orders, BigDecimal revenue) {
        if (customers < MIN_CUSTOMERS_FOR_RFM) {
            return new Rfm(null, null, null, null,
                    "not scored: the site has " + customers + " customer" + (customers == 1 ? "" : "s") + ", RFM quintiles need at least "
                            + MIN_CUSTOMERS_FOR_RFM);
        }
        double revenueValue = revenue.doubleValue();
        int recency = quintile(lowerBound(lastOrderDays.length, i -> lastOrderDays[i] < lastOrderDay));
        int frequency = quintile(lowerBound(orderCounts.length, i -> orderCounts[i] < orders));
        int monetary = quintile(lowerBound(revenues.length, i -> revenues[i] < revenueValue));
        String cell = cell(recency, Math.round((frequency + monetary) / 2.0f));
        String evidence = "R" + recency + " F" + frequency + " M" + monetary + " among " + customers + " customers (last order "
                + (today - lastOrderDay) + " days ago, " + orders + " orders, revenue " + revenue.setScale(2, RoundingMode.HALF_UP) + ")";
        return new Rfm(recency, frequency, monetary, cell, evidence);
    }

    /** Customers ranked below position {@code index} of {@code customers} score {@code 1 + floor(5·index/n)}; ties share a score. */
    private int quintile(int index) {
        return 1 + (int) Math.min(4, (5L * index) / customers);
    }

    /**
     * The standard cells, from recency and the rounded mean of frequency and monetary scores:
     * the grid used by most RFM tools (Champions top right, Lost bottom left).
     */
    static String cell(int recency, int frequencyMonetary) {
        if (recency <= 2) {
            return frequencyMonetary <= 2 ? "Lost" : frequencyMonetary <= 4 ? "At Risk"
                    : "Can't Lose Them";
        }
        if (recency == 3) {
            return frequencyMonetary <= 2 ? "About To Sleep" : frequencyMonetary == 3 ? "Need Attention" : "Loyal Customers";
        }
        if (recency == 4) {
            return frequencyMonetary <= 1 ? "Promising" : frequencyMonetary <= 3 ? "Potential Loyalist" : "Loyal Customers";
        }
        return frequencyMonetary <= 1 ? "New Customers" : frequencyMonetary <= 3 ? "Potential Loyalist" : "Champions";
    }

    /**
     * The number of leading positions for which {@code isBelow} holds, on a sorted array of
     * {@code length} values (binary search; ties are common: most customers order once).
     */
    private static int lowerBound(int length, java.util.function.IntPredicate isBelow) {
        int low = 0;
        int high = length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (isBelow.test(middle)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }
}

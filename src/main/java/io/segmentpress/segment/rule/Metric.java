package io.segmentpress.segment.rule;

/** The aggregates a {@code metric} leaf can compare; definitions in {@link Metrics}. */
public enum Metric {
    ORDERS("orders"),
    REVENUE("revenue"),
    AOV("aov"),
    PAGE_VIEWS("page_views"),
    SESSIONS("sessions"),
    ACTIVE_DAYS("active_days"),
    ENGAGED_SECONDS("engaged_seconds");

    private final String key;

    Metric(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    static Metric byKey(String key) {
        for (Metric metric : values()) {
            if (metric.key.equals(key)) {
                return metric;
            }
        }
        return null;
    }
}

package io.segmentpress.recommend;

import java.util.Map;

/** How a segment is named in a reason shown to a visitor ("Popular with bargain hunters"). */
final class SegmentLabels {

    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("vip", "our best customers"),
            Map.entry("loyal", "loyal customers"),
            Map.entry("bargain-hunter", "bargain hunters"),
            Map.entry("one-time-buyer", "recent customers"),
            Map.entry("window-shopper", "shoppers like you"),
            Map.entry("power-user", "our most active readers"),
            Map.entry("regular", "regular readers"),
            Map.entry("stage:awareness", "new readers"),
            Map.entry("stage:consideration", "readers comparing options"),
            Map.entry("stage:decision", "readers ready to buy"),
            Map.entry("stage:retention", "customers"),
            Map.entry("stage:advocacy", "our biggest fans"));

    private SegmentLabels() {
    }

    /**
     * A visitor-facing label; segments whose name would be unkind to show (lapsed, at-risk,
     * dormant) or custom ones read as "readers like you".
     */
    static String label(String segmentKey, SiteModel model) {
        String label = LABELS.get(segmentKey);
        if (label != null) {
            return label;
        }
        if (segmentKey.startsWith("interest:")) {
            return "readers into " + model.topicName(CatalogItem.categoryKey(segmentKey.substring(9)));
        }
        return "readers like you";
    }
}

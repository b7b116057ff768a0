package io.segmentpress.brief;

import java.util.Map;

/** How a segment is named in a brief's sentences ("42 bargain hunters searched …"). */
final class SegmentNames {

    private static final Map<String, String> BUILT_IN = Map.ofEntries(
            Map.entry("vip", "VIP customers"),
            Map.entry("loyal", "loyal customers"),
            Map.entry("bargain-hunter", "bargain hunters"),
            Map.entry("one-time-buyer", "one-time buyers"),
            Map.entry("window-shopper", "window shoppers"),
            Map.entry("lapsed-customer", "lapsed customers"),
            Map.entry("power-user", "power users"),
            Map.entry("regular", "regular readers"),
            Map.entry("occasional", "occasional readers"),
            Map.entry("at-risk", "at-risk readers"),
            Map.entry("dormant", "dormant readers"),
            Map.entry("stage:awareness", "new visitors (awareness stage)"),
            Map.entry("stage:consideration", "visitors in the consideration stage"),
            Map.entry("stage:decision", "visitors in the decision stage"),
            Map.entry("stage:retention", "customers (retention stage)"),
            Map.entry("stage:advocacy", "advocates"));

    private SegmentNames() {
    }

    /** A plural noun phrase for the members of {@code key}. */
    static String of(String key, Map<String, String> customNames, Map<String, String> categoryNames) {
        String builtIn = BUILT_IN.get(key);
        if (builtIn != null) {
            return builtIn;
        }
        if (key.startsWith("interest:")) {
            String slug = key.substring("interest:".length());
            return "readers interested in " + categoryNames.getOrDefault(slug, slug.replace('-', ' '));
        }
        String custom = customNames.get(key);
        return "members of \"" + (custom != null ? custom : key) + "\"";
    }
}

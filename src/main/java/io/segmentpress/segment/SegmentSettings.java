package io.segmentpress.segment;

import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.segmentpress.common.Json;
import io.segmentpress.common.error.Violations;

/**
 * A site's segment thresholds: the defaults of {@link Threshold} with the site's overrides, which
 * live in {@code site.settings} as {@code {"segments": {"vip": {"minOrders": 4}}}}.
 */
public final class SegmentSettings {

    public static final String SECTION = "segments";
    private static final SegmentSettings DEFAULTS = new SegmentSettings(new EnumMap<>(Threshold.class));

    private final EnumMap<Threshold, Integer> overrides;

    private SegmentSettings(EnumMap<Threshold, Integer> overrides) {
        this.overrides = overrides;
    }

    public static SegmentSettings defaults() {
        return DEFAULTS;
    }

    public int get(Threshold threshold) {
        return overrides.getOrDefault(threshold, threshold.defaultValue());
    }

    /** Reads the overrides stored in a site's settings JSON; values that no longer validate fall back to defaults. */
    public static SegmentSettings fromSiteSettings(String siteSettingsJson) {
        JsonNode root = Json.readTree(siteSettingsJson);
        if (root == null || !root.path(SECTION).isObject()) {
            return DEFAULTS;
        }
        EnumMap<Threshold, Integer> overrides = new EnumMap<>(Threshold.class);
        for (Threshold threshold : Threshold.values()) {
            JsonNode value = root.path(SECTION).path(threshold.group()).path(threshold.settingName());
            if (value.canConvertToInt() && value.isIntegralNumber() && value.asInt() >= threshold.min() && value.asInt() <= threshold.max()) {
                overrides.put(threshold, value.asInt());
            }
        }
        return new SegmentSettings(overrides);
    }

    /**
     * Applies a settings patch ({@code {"segments": {"group": {"name": value-or-null}}}}; null puts
     * a threshold back to its default) and returns the site's new settings JSON. Unknown fields
     * and values out of range are refused with a 400 naming each of them.
     */
    public static String applyPatch(String siteSettingsJson, JsonNode patch) {
        Violations violations = new Violations();
        if (patch == null || !patch.isObject()) {
            violations.add("body", "must be a JSON object such as {\"segments\": {\"vip\": {\"minOrders\": 4}}}");
            violations.throwIfAny();
        }
        JsonNode stored = Json.readTree(siteSettingsJson);
        ObjectNode root = stored != null && stored.isObject() ? (ObjectNode) stored.deepCopy() : JsonNodeFactory.instance.objectNode();
        ObjectNode section = root.path(SECTION).isObject() ? (ObjectNode) root.get(SECTION) : root.putObject(SECTION);

        for (Iterator<Map.Entry<String, JsonNode>> sections = patch.fields(); sections.hasNext();) {
            Map.Entry<String, JsonNode> top = sections.next();
            if (!SECTION.equals(top.getKey())) {
                violations.add(top.getKey(), "is not a known setting; settings are under \"segments\"");
                continue;
            }
            if (!top.getValue().isObject()) {
                violations.add(SECTION, "must be an object of setting groups");
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> groups = top.getValue().fields(); groups.hasNext();) {
                Map.Entry<String, JsonNode> group = groups.next();
                String groupPath = SECTION + "." + group.getKey();
                if (!isKnownGroup(group.getKey())) {
                    violations.add(groupPath, "is not a known setting group");
                    continue;
                }
                if (!group.getValue().isObject()) {
                    violations.add(groupPath, "must be an object");
                    continue;
                }
                ObjectNode storedGroup = section.path(group.getKey()).isObject() ? (ObjectNode) section.get(group.getKey())
                        : section.putObject(group.getKey());
                for (Iterator<Map.Entry<String, JsonNode>> fields = group.getValue().fields(); fields.hasNext();) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    String path = groupPath + "." + field.getKey();
                    Threshold threshold = find(group.getKey(), field.getKey());
                    if (threshold == null) {
                        violations.add(path, "is not a known setting");
                    } else if (field.getValue().isNull()) {
                        storedGroup.remove(field.getKey());
                    } else if (!field.getValue().isIntegralNumber() || !field.getValue().canConvertToInt()
                            || field.getValue().asInt() < threshold.min() || field.getValue().asInt() > threshold.max()) {
                        violations.add(path, "must be a whole number from " + threshold.min() + " to " + threshold.max());
                    } else {
                        storedGroup.put(field.getKey(), field.getValue().asInt());
                    }
                }
                if (storedGroup.isEmpty()) {
                    section.remove(group.getKey());
                }
            }
        }
        violations.throwIfAny();
        SegmentSettings merged = fromSiteSettings(Json.write(root));
        merged.checkConsistency(violations);
        violations.throwIfAny();
        if (section.isEmpty()) {
            root.remove(SECTION);
        }
        return root.isEmpty() ? null : Json.write(root);
    }

    /** The effective value of every threshold, grouped as in the settings document. */
    public Map<String, Map<String, Integer>> effective() {
        Map<String, Map<String, Integer>> groups = new java.util.LinkedHashMap<>();
        for (Threshold threshold : Threshold.values()) {
            groups.computeIfAbsent(threshold.group(), g -> new java.util.LinkedHashMap<>()).put(threshold.settingName(), get(threshold));
        }
        return groups;
    }

    private void checkConsistency(Violations violations) {
        violations.check(get(Threshold.REGULAR_MIN_ACTIVE_DAYS) < get(Threshold.POWER_USER_MIN_ACTIVE_DAYS),
                Threshold.REGULAR_MIN_ACTIVE_DAYS.path(), "must be below " + Threshold.POWER_USER_MIN_ACTIVE_DAYS.path());
        violations.check(get(Threshold.AT_RISK_MAX_RECENT_ACTIVE_DAYS) < get(Threshold.AT_RISK_MIN_PREVIOUS_ACTIVE_DAYS),
                Threshold.AT_RISK_MAX_RECENT_ACTIVE_DAYS.path(), "must be below " + Threshold.AT_RISK_MIN_PREVIOUS_ACTIVE_DAYS.path());
    }

    private static boolean isKnownGroup(String group) {
        for (Threshold threshold : Threshold.values()) {
            if (threshold.group().equals(group)) {
                return true;
            }
        }
        return false;
    }

    private static Threshold find(String group, String name) {
        for (Threshold threshold : Threshold.values()) {
            if (threshold.group().equals(group) && threshold.settingName().equals(name)) {
                return threshold;
            }
        }
        return null;
    }
}

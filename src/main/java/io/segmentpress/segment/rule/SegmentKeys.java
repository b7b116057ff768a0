package io.segmentpress.segment.rule;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The segment keys the service defines itself, and the shape of keys a site may choose. */
public final class SegmentKeys {

    public static final String INTEREST_PREFIX = "interest:";
    public static final String STAGE_PREFIX = "stage:";
    public static final String DEFAULT_STAGE = "stage:awareness";

    /** Journey stages from the top (checked first) down. */
    public static final List<String> STAGES = List.of("stage:advocacy", "stage:retention", "stage:decision",
            "stage:consideration", "stage:awareness");

    /** Built-in purchase and engagement segments. */
    public static final Set<String> BUILT_IN = Set.of("vip", "loyal", "bargain-hunter", "one-time-buyer", "window-shopper",
            "lapsed-customer", "power-user", "regular", "occasional", "at-risk", "dormant");

    /** What a custom segment's key must look like. */
    public static final Pattern CUSTOM_KEY = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");

    /** A category slug as WordPress makes them (lower case, digits, dashes, or percent-encoded). */
    public static final Pattern CATEGORY_SLUG = Pattern.compile("^[\\p{L}\\p{N}%_-][\\p{L}\\p{N}%_.-]{0,199}$");

    private SegmentKeys() {
    }

    /** Whether the service defines this key itself (a site can neither create nor change it). */
    public static boolean isBuiltIn(String key) {
        return BUILT_IN.contains(key) || key.startsWith(INTEREST_PREFIX) || key.startsWith(STAGE_PREFIX);
    }
}

package io.segmentpress.segment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.segmentpress.common.Json;

/**
 * The {@code visitor_profile.interests} column: the visitor's top categories as
 * {@code [{"category": "recipes", "share": 0.42, "reads": 5}, ...]}, largest share first.
 * Shares do not move as time passes (every read decays at the same rate), so an unchanged
 * profile keeps an unchanged row.
 */
final class InterestsJson {

    static final int MAX_CATEGORIES = 20;

    private InterestsJson() {
    }

    static String write(Map<String, VisitorProfile.InterestScore> interests) {
        if (interests.isEmpty()) {
            return null;
        }
        List<Map.Entry<String, VisitorProfile.InterestScore>> sorted = new ArrayList<>(interests.entrySet());
        sorted.sort(Comparator.<Map.Entry<String, VisitorProfile.InterestScore>>comparingDouble(e -> -e.getValue().share())
                .thenComparing(Map.Entry::getKey));
        List<Map<String, Object>> top = new ArrayList<>();
        for (Map.Entry<String, VisitorProfile.InterestScore> entry : sorted.subList(0, Math.min(MAX_CATEGORIES, sorted.size()))) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("category", entry.getKey());
            item.put("share", BigDecimal.valueOf(entry.getValue().share()).setScale(3, RoundingMode.HALF_UP));
            item.put("reads", entry.getValue().reads());
            top.add(item);
        }
        return Json.write(top);
    }
}

package io.segmentpress.segment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

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
        // written by hand: this runs for every visitor of a full recompute
        StringBuilder json = new StringBuilder(64 * Math.min(MAX_CATEGORIES, sorted.size())).append('[');
        for (Map.Entry<String, VisitorProfile.InterestScore> entry : sorted.subList(0, Math.min(MAX_CATEGORIES, sorted.size()))) {
            json.append(json.length() == 1 ? "" : ",").append("{\"category\":\"").append(JsonStringEncoder.getInstance().quoteAsString(entry.getKey())).append('"')
                    .append(",\"share\":").append(threeDecimals(entry.getValue().share()))
                    .append(",\"reads\":").append(entry.getValue().reads()).append('}');
        }
        return json.append(']').toString();
    }

    /**
     * {@code BigDecimal.valueOf(value).setScale(3, HALF_UP).toPlainString()}, without the
     * BigDecimal where the answer cannot differ: a full recompute writes some twenty shares per
     * visitor. Only a value within a hair of a tie between two thousandths (where the shortest
     * decimal text and binary arithmetic might round differently) takes the exact path.
     */
    static String threeDecimals(double value) {
        double thousandths = value * 1000;
        double fraction = thousandths - Math.floor(thousandths);
        if (!(value >= 0 && thousandths < 1e12) || Math.abs(fraction - 0.5) < 1e-6) {
            return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).toPlainString();
        }
        long rounded = (long) Math.floor(thousandths + 0.5);
        long fractionDigits = rounded % 1000;
        return (rounded / 1000) + (fractionDigits < 10 ? ".00" : fractionDigits < 100 ? ".0" : ".") + fractionDigits;
    }
}

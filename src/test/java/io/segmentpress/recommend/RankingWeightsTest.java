package io.segmentpress.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RankingWeightsTest {

    private static final long DAY = 86_400_000L;

    @Test
    void everyWeightAndTheDiversityMustBeZeroOrMoreAndTheErrorNamesTheSetting() {
        new RankingWeights(0, 0, 0, 0, 0, 0, 0, 0, 1); // all off is allowed
        assertEquals(0.35, RankingWeights.defaults().diversity());
        assertRefused("segmentpress.recommend.weights.interest", () -> new RankingWeights(-0.1, 0.25, 0.3, 0.2, 0.3, 0.1, 0.1, 0.35, DAY));
        assertRefused("segmentpress.recommend.weights.co-read", () -> new RankingWeights(0.3, 0.25, Double.NaN, 0.2, 0.3, 0.1, 0.1, 0.35, DAY));
        assertRefused("segmentpress.recommend.weights.popularity",
                () -> new RankingWeights(0.3, 0.25, 0.3, 0.2, 0.3, 0.1, Double.POSITIVE_INFINITY, 0.35, DAY));
        assertRefused("segmentpress.recommend.diversity", () -> new RankingWeights(0.3, 0.25, 0.3, 0.2, 0.3, 0.1, 0.1, -1, DAY));
        assertRefused("segmentpress.recommend.freshness-half-life", () -> new RankingWeights(0.3, 0.25, 0.3, 0.2, 0.3, 0.1, 0.1, 0.35, 0));
    }

    private static void assertRefused(String setting, Runnable create) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, create::run);
        assertEquals(setting, refused.getMessage().substring(0, setting.length()), refused.getMessage());
    }
}

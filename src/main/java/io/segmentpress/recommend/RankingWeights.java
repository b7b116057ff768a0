package io.segmentpress.recommend;

/**
 * The ranker's tuning, taken from {@link RecommendConfig} (or set directly by the offline
 * evaluation). Every weight and the diversity are numbers of 0 or more, and the freshness
 * half-life is positive; anything else is refused with the setting's name (the service checks its
 * configuration this way when it starts).
 */
public record RankingWeights(double interest, double segment, double coRead, double context, double fit, double freshness,
        double popularity, double diversity, long freshnessHalfLifeMillis) {

    private static final String PREFIX = "segmentpress.recommend.";

    public RankingWeights {
        require("weights.interest", interest);
        require("weights.segment", segment);
        require("weights.co-read", coRead);
        require("weights.context", context);
        require("weights.fit", fit);
        require("weights.freshness", freshness);
        require("weights.popularity", popularity);
        require("diversity", diversity);
        if (freshnessHalfLifeMillis <= 0) {
            throw new IllegalArgumentException(PREFIX + "freshness-half-life must be a positive duration, not " + freshnessHalfLifeMillis + " ms");
        }
    }

    private static void require(String setting, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(PREFIX + setting + " must be a number of 0 or more, not " + value);
        }
    }

    static RankingWeights from(RecommendConfig config) {
        RecommendConfig.Weights w = config.weights();
        return new RankingWeights(w.interest(), w.segment(), w.coRead(), w.context(), w.fit(), w.freshness(), w.popularity(),
                config.diversity(), config.freshnessHalfLife().toMillis());
    }

    /** The defaults of {@link RecommendConfig}. */
    public static RankingWeights defaults() {
        return new RankingWeights(0.30, 0.25, 0.30, 0.20, 0.30, 0.10, 0.10, 0.35, 14L * 86_400_000);
    }
}

package io.segmentpress.recommend;

/** The ranker's tuning, taken from {@link RecommendConfig} (or set directly by the offline evaluation). */
public record RankingWeights(double interest, double segment, double coRead, double context, double fit, double freshness,
        double popularity, double diversity, long freshnessHalfLifeMillis) {

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

package io.segmentpress.recommend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A small run of the offline evaluation on every build: our ranking must beat both baselines. */
class RankingQualityTest {

    @Test
    void rankedListBeatsMostPopularAndSameCategoryRecentOnPlantedTastes() {
        PlantedTasteSite site = new PlantedTasteSite(7, 800, 10, 3000, 1_780_000_000_000L);
        OfflineEvaluation.Result result = OfflineEvaluation.run(site);
        System.out.println(result.table());
        OfflineEvaluation.Score ours = result.score(OfflineEvaluation.OURS);
        for (String baseline : new String[] { OfflineEvaluation.MOST_POPULAR, OfflineEvaluation.SAME_CATEGORY_RECENT }) {
            OfflineEvaluation.Score other = result.score(baseline);
            assertTrue(ours.hitRate() > other.hitRate(), "HR@5 " + ours + " vs " + other);
            assertTrue(ours.ndcg() > other.ndcg(), "NDCG@5 " + ours + " vs " + other);
        }
    }
}

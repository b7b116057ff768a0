package io.segmentpress.brief;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.stringContainsInOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.segmentpress.common.time.AppClock;

@QuarkusTest
class PlantedDemandBriefsTest {

    @Inject
    AppClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private PlantedBakery plantedSite() {
        PlantedBakery bakery = PlantedBakery.build(clock.now());
        SegmentsForTests.compute(bakery);
        return bakery;
    }

    private static List<Map<String, Object>> generate(BriefTestSite site) {
        return site.secret().body("{}").post("/v1/briefs/generate").then().statusCode(200).extract().jsonPath().getList("briefs");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> briefFor(List<Map<String, Object>> briefs, String segment, String topicSlug) {
        return briefs.stream().filter(b -> segment.equals(b.get("segment")) && topicSlug.equals(((Map<String, Object>) b.get("topic")).get("slug")))
                .findFirst().orElseThrow(() -> new AssertionError("no brief for " + segment + " on " + topicSlug + " in " + summary(briefs)));
    }

    @SuppressWarnings("unchecked")
    private static String summary(List<Map<String, Object>> briefs) {
        StringBuilder out = new StringBuilder();
        for (Map<String, Object> b : briefs) {
            out.append("\n  ").append(b.get("priority")).append(' ').append(b.get("segment")).append(' ')
                    .append(((Map<String, Object>) b.get("topic")).get("taxonomy")).append(':')
                    .append(((Map<String, Object>) b.get("topic")).get("slug")).append(' ').append(b.get("kind")).append(" — ").append(b.get("title"));
        }
        return out.toString();
    }

    @Test
    @SuppressWarnings("unchecked")
    void proposesGlutenFreeForBargainHuntersFromTheirUnansweredSearches() throws Exception {
        PlantedBakery bakery = plantedSite();
        List<Map<String, Object>> briefs = generate(bakery.site);

        Map<String, Object> glutenFree = briefFor(briefs, "bargain-hunter", "gluten-free");
        assertTrue(briefs.indexOf(glutenFree) < 3, "among the top three:" + summary(briefs));
        assertEquals("new", glutenFree.get("kind"));
        assertEquals("retention", glutenFree.get("journeyStage"));
        assertEquals("gluten free bread", glutenFree.get("primaryKeyword"));
        assertThat((List<String>) glutenFree.get("secondaryKeywords"), hasItems("gluten free flour", "gluten-free pizza dough"));
        assertThat((String) glutenFree.get("angle"), containsString("deals"));
        assertThat((String) glutenFree.get("title"), containsStringIgnoringCase("gluten free bread"));
        List<Map<String, Object>> links = (List<Map<String, Object>>) glutenFree.get("internalLinks");
        assertEquals((int) PlantedBakery.GLUTEN_FREE_POST, links.get(0).get("contentId"));
        assertThat((String) glutenFree.get("rationale"), stringContainsInOrder("12 bargain hunters searched “gluten free bread”",
                "led to no content", "1 recent piece on Gluten-Free", "revenue"));
        Map<String, Object> audience = (Map<String, Object>) glutenFree.get("audience");
        assertEquals(12, audience.get("size"));
        Map<String, Object> topSearch = ((List<Map<String, Object>>) audience.get("topSearches")).get(0);
        assertEquals("gluten free bread", topSearch.get("query"));
        assertEquals(36, topSearch.get("searches"));
        assertEquals(36, topSearch.get("unanswered"));
        Map<String, Object> words = (Map<String, Object>) glutenFree.get("wordCount");
        assertTrue((Integer) words.get("min") >= 300 && (Integer) words.get("max") > (Integer) words.get("min"), words.toString());
        assertEquals("proposed", glutenFree.get("status"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void proposesRefreshingTheStaleSourdoughGuideForPowerUsers() throws Exception {
        PlantedBakery bakery = plantedSite();
        List<Map<String, Object>> briefs = generate(bakery.site);

        Map<String, Object> refresh = briefs.stream().filter(b -> "refresh".equals(b.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("no refresh brief in " + summary(briefs)));
        assertEquals("power-user", refresh.get("segment"), summary(briefs));
        assertEquals((int) PlantedBakery.SOURDOUGH_GUIDE, ((Map<String, Object>) refresh.get("refreshOf")).get("contentId"));
        assertThat((String) refresh.get("title"), allOf(startsWith("The Complete Sourdough Starter Guide"), not(containsString("2024"))));
        assertThat((String) refresh.get("rationale"), containsString("last updated 24 months ago"));
        assertTrue(((List<Map<String, Object>>) refresh.get("internalLinks")).stream()
                .noneMatch(l -> l.get("contentId").equals((int) PlantedBakery.SOURDOUGH_GUIDE)), "never links the piece to itself");
        assertTrue(briefs.stream().noneMatch(b -> ((Map<String, Object>) b.get("topic")).get("slug").equals("sourdough") && "new".equals(b.get("kind"))),
                "no new piece on a topic whose stale piece gets a refresh:" + summary(briefs));
    }

    @Test
    @SuppressWarnings("unchecked")
    void proposesComparisonContentForVisitorsStuckInConsideration() throws Exception {
        PlantedBakery bakery = plantedSite();
        List<Map<String, Object>> briefs = generate(bakery.site);

        Map<String, Object> comparison = briefFor(briefs, "stage:consideration", "espresso-machines");
        assertEquals("consideration", comparison.get("journeyStage"));
        assertThat((String) comparison.get("title"), containsString("Compared"));
        assertThat((String) comparison.get("angle"), containsString("comparison"));
        assertThat((String) comparison.get("primaryKeyword"), containsString("espresso machine"));
        assertThat((String) comparison.get("rationale"), stringContainsInOrder("15 of 15 visitors in the consideration stage",
                "0 consideration-stage pieces"));
        List<Long> linked = ((List<Map<String, Object>>) comparison.get("internalLinks")).stream()
                .map(l -> ((Number) l.get("contentId")).longValue()).toList();
        assertEquals(3, linked.size());
        assertTrue(PlantedBakery.ESPRESSO_POSTS.containsAll(linked), linked.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void doesNotProposeATopicTheCatalogCovers() throws Exception {
        PlantedBakery bakery = plantedSite();
        List<Map<String, Object>> briefs = generate(bakery.site);

        assertTrue(briefs.stream().noneMatch(b -> List.of("cakes", "recipes", "bread", "espresso")
                .contains(((Map<String, Object>) b.get("topic")).get("slug")) && !"stage:consideration".equals(b.get("segment"))), summary(briefs));
        assertTrue(briefs.stream().allMatch(b -> (Integer) b.get("priority") >= 0 && (Integer) b.get("priority") <= 100));
    }
}

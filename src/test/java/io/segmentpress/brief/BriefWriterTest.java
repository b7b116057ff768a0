package io.segmentpress.brief;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.segmentpress.brief.BriefApi.Topic;
import io.segmentpress.brief.SiteDemand.Post;

class BriefWriterTest {

    @Test
    void refreshTitleDropsTheOldYear() {
        Post post = new Post(1, "The Complete Sourdough Starter Guide (2024)", "u", "post", Instant.EPOCH, Instant.EPOCH, null, 2000,
                List.of(new Topic("tag", "sourdough", "Sourdough")));
        List<String> titles = BriefWriter.refreshTitles(post, "Sourdough", Angle.ADVANCED, 2026);
        assertEquals("The Complete Sourdough Starter Guide (Updated for 2026)", titles.get(0));
        assertTrue(titles.stream().noneMatch(t -> t.contains("2024")), titles.toString());
    }

    @Test
    void everyAngleHasATitleAndAlternatives() {
        for (Angle angle : Angle.values()) {
            List<String> titles = BriefWriter.titles(angle, "Raised Beds", "Raised Beds", 2026);
            assertTrue(titles.size() >= 3, angle + ": " + titles);
            assertTrue(titles.get(0).contains("Raised Beds"), angle + ": " + titles.get(0));
            assertTrue(!BriefWriter.cta(angle, "Raised Beds").isBlank());
        }
    }

    @Test
    void segmentsWithANeedGetTheirAngleOthersTheirStages() {
        assertEquals(Angle.DEALS, Angle.forSegment("bargain-hunter", "retention"));
        assertEquals(Angle.ADVANCED, Angle.forSegment("power-user", "awareness"));
        assertEquals(Angle.WIN_BACK, Angle.forSegment("at-risk", "retention"));
        assertEquals(Angle.COMPARISON, Angle.forSegment("interest:coffee", "consideration"));
        assertEquals(Angle.COMPARISON, Angle.forSegment("stage:consideration", "consideration"));
    }
}

package io.segmentpress.brief;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import org.junit.jupiter.api.Test;

class KeywordsTest {

    @Test
    void foldsCaseAccentsHyphensPluralsAndStopwords() {
        assertEquals(Set.of("gluten", "free", "bread"), Keywords.words("Gluten-Free Breads"));
        assertEquals(Set.of("espresso", "machine", "500"), Keywords.words("best espresso machines under 500".replace("under ", "")));
        assertEquals(Set.of("creme", "brulee", "recipe"), Keywords.words("Crème brûlée recipes"));
        assertEquals(Set.of("pastry"), Keywords.words("the pastries"));
    }

    @Test
    void slugsAndTitleCasesQueries() {
        assertEquals("gluten-free-pasta", Keywords.slug("Gluten free pasta"));
        assertEquals("Gluten Free Bread", Keywords.titleCase("gluten free bread"));
    }
}

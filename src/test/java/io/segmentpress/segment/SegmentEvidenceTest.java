package io.segmentpress.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SegmentEvidenceTest {

    @Test
    void theColumnReadsBackEveryKeyAndEvidenceAsWritten() {
        Map<String, String> evidence = new HashMap<>();
        evidence.put("interest:recipes", "42% of reading weight on recipes (5 reads)");
        evidence.put("plan-is-\"pro\"", "trait plan = \"pro\\max\"; line\nbreak\ttab \u0001 control");
        evidence.put("ünïcode-😀", "Ärger — 漢字 😀");
        evidence.put("stage:awareness", null);
        List<SegmentEvaluator.Membership> memberships = new ArrayList<>();
        evidence.keySet().stream().sorted().forEach(key -> memberships.add(new SegmentEvaluator.Membership(key, evidence.get(key))));

        assertEquals(evidence, SegmentEvidence.read(SegmentEvidence.write(memberships)));
    }

    @Test
    void aProfileWithoutTheColumnReadsAsNoEvidenceSoTheMembershipsAreShown() {
        assertNull(SegmentEvidence.write(List.of()));
        assertNull(SegmentEvidence.read(null));
        assertNull(SegmentEvidence.read(""));
    }
}

package io.segmentpress.segment.rule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Visitor facts built by hand in tests. */
record Facts(Instant now, ZoneId zone, List<EventFact> events, Map<String, Object> traits, Set<String> segments,
        Set<String> interests, String stage) implements VisitorFacts {

    static Facts of(Instant now, List<EventFact> events) {
        List<EventFact> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(EventFact::occurredAt));
        return new Facts(now, ZoneId.of("UTC"), sorted, new LinkedHashMap<>(), Set.of(), Set.of(), "stage:awareness");
    }

    Facts withZone(ZoneId zone) {
        return new Facts(now, zone, events, traits, segments, interests, stage);
    }

    Facts withTraits(Map<String, Object> traits) {
        return new Facts(now, zone, events, traits, segments, interests, stage);
    }

    Facts withSegments(Set<String> segments) {
        return new Facts(now, zone, events, traits, segments, interests, stage);
    }

    Facts withInterests(Set<String> interests) {
        return new Facts(now, zone, events, traits, segments, interests, stage);
    }

    Facts withStage(String stage) {
        return new Facts(now, zone, events, traits, segments, interests, stage);
    }
}

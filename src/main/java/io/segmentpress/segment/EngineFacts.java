package io.segmentpress.segment;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.segmentpress.segment.rule.EventFact;
import io.segmentpress.segment.rule.VisitorFacts;

/** What a custom segment rule sees of one visitor, as the engine has just computed it. */
record EngineFacts(Instant now, ZoneId zone, List<EventFact> events, Map<String, Object> traits, Set<String> segments,
        Set<String> interests, String stage) implements VisitorFacts {
}

package io.segmentpress.recommend;

import java.util.List;
import java.util.Map;

/**
 * What the ranker knows about one visitor at request time.
 *
 * @param visitorId  the service's id, or null for a visitor never seen
 * @param segments   every segment key the visitor is in (the stage key included)
 * @param stage      the journey stage key, e.g. {@code stage:consideration}
 * @param interests  topic interests from the profile: category slug → weight
 * @param reads      every item the visitor has read → when it was last read (epoch millis)
 */
public record VisitorContext(Long visitorId, List<String> segments, String stage, Map<String, Double> interests, Map<Long, Long> reads) {

    public static final String DEFAULT_STAGE = "stage:awareness";

    /** A visitor the service has never seen: only the default stage. */
    public static VisitorContext unknown() {
        return new VisitorContext(null, List.of(DEFAULT_STAGE), DEFAULT_STAGE, Map.of(), Map.of());
    }

    public boolean known() {
        return visitorId != null;
    }
}

package io.segmentpress.segment.rule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a custom segment rule may look at for one visitor. The segment engine builds it
 * from the stored events and the visitor's current memberships; tests build it by hand.
 */
public interface VisitorFacts {

    /** The moment windows ({@code within}) are counted back from. */
    Instant now();

    /** The site's time zone; an active day is a calendar day in this zone. */
    ZoneId zone();

    /** Every stored event of the visitor, oldest first. */
    List<EventFact> events();

    /** Traits from identify calls, the latest value of each trait winning. */
    Map<String, Object> traits();

    /** Keys of the visitor's built-in memberships, and of custom segments already evaluated. */
    Set<String> segments();

    /** Category slugs of the visitor's {@code interest:*} memberships (without the prefix). */
    Set<String> interests();

    /** The visitor's journey stage key, e.g. {@code stage:retention}. */
    String stage();
}

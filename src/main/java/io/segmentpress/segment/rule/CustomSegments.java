package io.segmentpress.segment.rule;

import java.util.List;

/** The custom segments a site has defined. */
public interface CustomSegments {

    /**
     * The site's custom segments in dependency order: a segment comes after every custom segment
     * its rule references, so evaluating them in this order sees the referenced ones already decided.
     */
    List<CustomSegmentDefinition> forSite(long siteId);
}

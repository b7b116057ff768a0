package io.segmentpress.segment;

import java.math.BigDecimal;

/**
 * The columns of one stored event that the engine reads, as they come off the streamed result
 * set. {@code properties} and {@code traits} are only read when something needs them (page
 * categories missing from the catalog, custom segment rules).
 */
record EventRow(
        long id,
        long visitorId,
        long occurredAtMillis,
        String type,
        String name,
        Long postId,
        String orderId,
        BigDecimal revenue,
        BigDecimal discount,
        String coupon,
        Integer engagedSeconds,
        Integer scrollDepth,
        String properties,
        String traits) {

    boolean isPage() {
        return "page".equals(type);
    }

    boolean isTrack(String eventName) {
        return "track".equals(type) && eventName.equals(name);
    }
}

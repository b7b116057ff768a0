package io.segmentpress.ingest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A validated event, ready to store: identity, time and the columns later stages query.
 * {@code categories} are a page call's {@code properties.categories[]} slugs when it names a post
 * (recorded per post, not stored with the event), else empty.
 */
record IncomingEvent(
        String messageId,
        String type,
        String name,
        String anonymousId,
        String userId,
        Instant occurredAt,
        Long postId,
        String productId,
        String orderId,
        BigDecimal revenue,
        BigDecimal discount,
        String coupon,
        Integer engagedSeconds,
        Integer scrollDepth,
        String searchQuery,
        String url,
        String referrer,
        String properties,
        String context,
        String traits,
        List<String> categories) {
}

package io.segmentpress.segment;

import java.util.List;
import java.util.Map;

/** What the engine needs to know about a site's content: each post's categories and journey stage. */
record Catalog(Map<Long, Content> content) {

    record Content(List<String> categories, String journeyStage) {
    }

    static final Catalog EMPTY = new Catalog(Map.of());

    Content find(Long postId) {
        return postId == null ? null : content.get(postId);
    }
}

package io.segmentpress.segment;

import java.util.List;
import java.util.Map;

/**
 * What the engine needs to know about a site's content: each post's categories and journey stage
 * from the catalog, and for posts the catalog does not categorize, the categories page calls for
 * them named most recently ({@code content_observed}).
 */
record Catalog(Map<Long, Content> content, Map<Long, List<String>> observedCategories) {

    record Content(List<String> categories, String journeyStage) {
    }

    static final Catalog EMPTY = new Catalog(Map.of(), Map.of());

    Content find(Long postId) {
        return postId == null ? null : content.get(postId);
    }

    /**
     * The post's categories: the catalog's, or for a post the catalog does not categorize, the
     * ones page calls for it named most recently; null when neither knows any.
     */
    List<String> categoriesOf(Long postId) {
        if (postId == null) {
            return null;
        }
        Content known = content.get(postId);
        return known != null && !known.categories().isEmpty() ? known.categories() : observedCategories.get(postId);
    }
}

package io.segmentpress.recommend;

import java.util.Set;

/**
 * What a list is for.
 *
 * @param limit      how many items
 * @param contextId  the item the list is shown on, or null
 * @param type       only this content type, or null for posts and products
 * @param exclude    ids the caller does not want
 */
public record RankRequest(int limit, Long contextId, String type, Set<Long> exclude) {

    boolean accepts(CatalogItem item) {
        return type == null ? !"page".equals(item.type()) : type.equals(item.type());
    }
}

package io.segmentpress.recommend;

/** One ranked item with its blended score and the reason shown to the visitor. */
public record Recommended(CatalogItem item, double score, String reason) {
}

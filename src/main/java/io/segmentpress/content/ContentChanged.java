package io.segmentpress.content;

/**
 * Fired (synchronously, inside the transaction) when an item of the catalog is created,
 * changed or deleted. Observers that keep derived data (recommendation indexes, caches)
 * should observe with {@code during = TransactionPhase.AFTER_SUCCESS}.
 */
public record ContentChanged(long siteId, long contentId) {
}

package io.segmentpress.content;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.segmentpress.common.error.FieldError;

/** Request and response bodies of the content catalog. */
public final class ContentApi {

    private ContentApi() {
    }

    @Schema(name = "Term", description = "A category or tag")
    public record Term(@Schema(required = true) String slug, @Schema(required = true) String name) {
    }

    @Schema(name = "ContentItem", description = "A published item of the site; contentId is the WordPress post id")
    public record ContentItem(
            @Schema(description = "The WordPress post id; required in batches, taken from the path otherwise") Long contentId,
            @Schema(required = true, maxLength = 500) String title,
            @Schema(required = true) String url,
            @Schema(required = true, enumeration = { "post", "page", "product" }) String type,
            @Schema(required = true, description = "WordPress post status; only 'publish' is recommended", examples = "publish") String status,
            Instant publishedAt,
            Instant modifiedAt,
            List<Term> categories,
            List<Term> tags,
            String excerpt,
            Integer wordCount,
            BigDecimal price,
            Boolean onSale,
            @Schema(enumeration = { "awareness", "consideration", "decision", "retention", "advocacy" }) String journeyStage) {
    }

    @Schema(name = "ContentBatch")
    public record Batch(@Schema(required = true, maxItems = 500) List<ContentItem> items) {
    }

    @Schema(name = "RejectedContent")
    public record Rejected(int index, Long contentId, List<FieldError> errors) {
    }

    @Schema(name = "ContentBatchResult")
    public record BatchResult(int upserted, List<Rejected> rejected) {
    }

    @Schema(name = "ContentPage")
    public record Page(List<ContentItem> items, @Schema(description = "Pass as cursor for the next page; null on the last page") String nextCursor) {
    }
}

package io.segmentpress.insight;

import java.time.LocalDate;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Response bodies of the segment and journey insights. */
public final class SegmentInsightApi {

    private SegmentInsightApi() {
    }

    @Schema(name = "SegmentSizes", description = "Daily size of every segment, days in the site's time zone")
    public record SegmentSizes(LocalDate from, LocalDate to, String timezone, List<SegmentSeries> segments) {
    }

    @Schema(name = "SegmentSeries")
    public record SegmentSeries(String key, List<DailySize> days) {
    }

    @Schema(name = "DailySize")
    public record DailySize(LocalDate date, @Schema(description = "Members at the end of the day") long size,
            @Schema(description = "Visitors who entered that day") long entered,
            @Schema(description = "Visitors who left that day") long exited) {
    }

    @Schema(name = "JourneyFlow", description = "Visitors moving between journey stages in the period")
    public record JourneyFlow(LocalDate from, LocalDate to, String timezone, List<StageMove> moves) {
    }

    @Schema(name = "StageMove")
    public record StageMove(
            @Schema(description = "The stage left; null for a visitor seen for the first time") String from,
            @Schema(description = "The stage entered; null for a visitor removed (merged or erased)") String to,
            long visitors) {
    }
}

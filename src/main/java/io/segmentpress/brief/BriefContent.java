package io.segmentpress.brief;

import java.time.Instant;
import java.util.List;

import io.segmentpress.brief.BriefApi.Audience;
import io.segmentpress.brief.BriefApi.ContentLink;
import io.segmentpress.brief.BriefApi.Topic;
import io.segmentpress.brief.BriefApi.WordCount;

/**
 * The generated part of a brief, stored as one JSON document in {@code brief.body}. Title,
 * stage, priority, rationale and the lifecycle are columns of their own.
 */
record BriefContent(
        String segmentName,
        String kind,
        Topic topic,
        List<String> alternativeTitles,
        String primaryKeyword,
        List<String> secondaryKeywords,
        String angle,
        Audience audience,
        List<String> outline,
        List<ContentLink> internalLinks,
        ContentLink refreshOf,
        String cta,
        WordCount wordCount,
        Instant suggestedPublishAt) {
}

package io.segmentpress.recommend;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;
import io.segmentpress.common.error.ApiException;
import io.segmentpress.common.error.Violations;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.recommend.RecommendationApi.Item;
import io.segmentpress.recommend.RecommendationApi.RecommendationList;
import io.segmentpress.recommend.RecommendationApi.SegmentRecommendations;

/** Serves recommendation lists: validates the query, ranks in memory, records what was served. */
@ApplicationScoped
public class RecommendationService {

    static final int DEFAULT_LIMIT = 5;
    static final int MAX_LIMIT = 20;
    private static final int MAX_EXCLUDED = 200;
    private static final Set<String> TYPES = Set.of("post", "page", "product");

    @Inject
    SiteModelStore models;

    @Inject
    VisitorReader visitors;

    @Inject
    ServedLog servedLog;

    @Inject
    RecIds recIds;

    @Inject
    SegmentCatalog segmentCatalog;

    @Inject
    RecommendConfig config;

    @Inject
    AppClock clock;

    /** Refuses to start with a ranking setting out of range, naming it, rather than fail every request. */
    void checkSettings(@Observes StartupEvent event) {
        RankingWeights.from(config);
    }

    /**
     * The list for one visitor. Query parameters arrive as text so that every malformed one is
     * reported as a 400 naming the field.
     */
    public RecommendationList forVisitor(long siteId, String visitor, String limitParam, String contextParam, String typeParam,
            String excludeParam) {
        Violations violations = new Violations();
        if (visitor == null || visitor.isBlank()) {
            violations.add("visitor", "is required (the visitor's anonymousId)");
        } else if (visitor.length() > 200) {
            violations.add("visitor", "must be at most 200 characters");
        }
        int limit = parseLimit(limitParam, violations);
        Long contextId = parseId(contextParam, "context", violations);
        String type = typeParam == null || typeParam.isBlank() ? null : typeParam.trim().toLowerCase(Locale.ROOT);
        violations.check(type == null || TYPES.contains(type), "type", "must be one of post, page, product");
        Set<Long> exclude = parseExclude(excludeParam, violations);
        violations.throwIfAny();

        SiteModelStore.Entry entry = models.entry(siteId);
        VisitorContext context = visitors.load(siteId, visitor);
        String variant = entry.settings.variantFor(siteId, visitor);
        Instant now = clock.now();
        RankRequest request = new RankRequest(limit, contextId, type, exclude);
        List<Recommended> ranked = ExperimentSettings.CONTROL.equals(variant)
                ? Ranker.mostPopular(entry.model, context, request)
                : Ranker.rank(entry.model, context, request, now.toEpochMilli(), RankingWeights.from(config));
        long audience = ServedLog.audienceOf(context.segments());
        String recId = recIds.issue(siteId, now.toEpochMilli(), variant, audience);
        servedLog.record(siteId, variant, audience, context.segments(), now);
        return new RecommendationList(recId, visitor, context.segments(), context.stage(), variant,
                ranked.stream().map(Item::of).toList());
    }

    /** What to show members of a segment as a whole; 404 for a segment the site does not have. */
    public SegmentRecommendations forSegment(long siteId, String segmentKey, String limitParam) {
        Violations violations = new Violations();
        int limit = parseLimit(limitParam, violations);
        violations.throwIfAny();
        SiteModel model = models.model(siteId);
        if (!segmentCatalog.exists(siteId, segmentKey, model)) {
            throw ApiException.notFound("No segment " + segmentKey);
        }
        List<Recommended> ranked = Ranker.forSegment(model, segmentKey, limit, clock.now().toEpochMilli(), RankingWeights.from(config));
        return new SegmentRecommendations(segmentKey, ranked.stream().map(Item::of).toList());
    }

    private static int parseLimit(String value, Violations violations) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        violations.add("limit", "must be a whole number from 1 to " + MAX_LIMIT);
        return DEFAULT_LIMIT;
    }

    private static Long parseId(String value, String field, Violations violations) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(value.trim());
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        violations.add(field, "must be a positive content id");
        return null;
    }

    private static Set<Long> parseExclude(String value, Violations violations) {
        Set<Long> ids = new HashSet<>();
        if (value == null || value.isBlank()) {
            return ids;
        }
        String[] parts = value.split(",");
        if (parts.length > MAX_EXCLUDED) {
            violations.add("exclude", "must list at most " + MAX_EXCLUDED + " ids");
            return ids;
        }
        for (String part : parts) {
            if (part.isBlank()) {
                continue;
            }
            try {
                ids.add(Long.parseLong(part.trim()));
            } catch (NumberFormatException e) {
                violations.add("exclude", "must be a comma-separated list of content ids");
                return ids;
            }
        }
        return ids;
    }
}

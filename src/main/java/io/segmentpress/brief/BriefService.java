package io.segmentpress.brief;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.segmentpress.brief.BriefApi.BriefView;
import io.segmentpress.brief.BriefApi.PatchRequest;
import io.segmentpress.brief.BriefWriter.Draft;
import io.segmentpress.common.ClusterLock;
import io.segmentpress.common.Json;
import io.segmentpress.common.error.ApiException;
import io.segmentpress.common.error.Violations;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.segment.SegmentDirectory;

/** Generates publishing briefs from a site's demand and moves them through their lifecycle. */
@ApplicationScoped
public class BriefService {

    private static final Logger LOG = Logger.getLogger(BriefService.class);
    private static final int MAX_SEGMENT_KEY = 120;
    /** How long an on-demand generation waits for one already running for the same site. */
    private static final Duration SITE_LOCK_WAIT = Duration.ofSeconds(30);

    @Inject
    BriefsConfig config;

    @Inject
    DemandQueries demandQueries;

    @Inject
    ClusterLock locks;

    @Inject
    SegmentDirectory segments;

    @Inject
    AppClock clock;

    /**
     * Finds the site's content gaps now and proposes briefs for them, at most one open brief per
     * segment and topic: still-proposed briefs are refreshed with today's numbers, or withdrawn
     * when this run no longer proposes their gap, accepted and scheduled ones are left alone, and
     * dismissed ones stay away for the configured cooldown.
     * Also marks published briefs measured once their post has been live long enough.
     *
     * @param segment only this segment, or every segment when null
     * @return the proposals of this run, highest priority first
     */
    public List<BriefView> generate(long siteId, String segment) {
        if (segment != null) {
            validateSegment(siteId, segment);
        }
        try (ClusterLock.Held ignored = locks.tryAcquire("segmentpress-briefs-site-" + siteId, SITE_LOCK_WAIT)
                .orElseThrow(() -> ApiException.unavailable("Brief generation is already running for this site", 30))) {
            Instant now = clock.now();
            long started = System.nanoTime();
            SiteDemand demand = demandQueries.load(siteId, now, segment).orElseThrow(() -> ApiException.notFound("No site " + siteId));
            long loaded = System.nanoTime();
            List<Gap> ranked = new GapFinder(demand, GapFinder.Settings.from(config)).find().stream()
                    .filter(g -> segment == null || g.segment().key().equals(segment)).toList();
            long found = System.nanoTime();
            List<BriefView> proposed = QuarkusTransaction.requiringNew().call(() -> store(demand, ranked, segment, now));
            LOG.debugf("Generated %d briefs for site %d in %d ms (demand %d ms, gaps %d ms)", proposed.size(), siteId,
                    (System.nanoTime() - started) / 1_000_000, (loaded - started) / 1_000_000, (found - loaded) / 1_000_000);
            return proposed;
        }
    }

    /**
     * Writes this run's proposals. A still-proposed brief (of the segment generated for, or of any
     * when {@code segment} is null) whose gap is not among them is withdrawn: its topic got covered,
     * its demand left the window or it was outranked, and nobody has acted on it, so a proposal
     * list always shows today's findings.
     */
    private List<BriefView> store(SiteDemand demand, List<Gap> ranked, String segment, Instant now) {
        long siteId = demand.siteId();
        markMeasured(siteId, now);
        Map<String, List<Brief>> existing = new HashMap<>();
        for (Brief brief : Brief.<Brief>list("siteId", siteId)) {
            existing.computeIfAbsent(brief.segmentKey + "|" + brief.topicKey, k -> new ArrayList<>()).add(brief);
        }
        Instant cooldownStart = now.minus(config.dismissCooldown());
        List<Gap> selected = GapFinder.select(ranked, gap -> existing.getOrDefault(gap.segment().key() + "|" + gap.topicKey(), List.of())
                .stream().anyMatch(b -> blocks(b, cooldownStart)), config.minPriority(), config.maxPerSegment(), config.maxPerRun());
        BriefWriter writer = new BriefWriter(demand, config.readingWordsPerMinute(), config.publishLeadTime());
        List<BriefView> views = new ArrayList<>();
        Set<Long> refreshed = new HashSet<>();
        for (Gap gap : selected) {
            Draft draft = writer.write(gap);
            Brief brief = existing.getOrDefault(gap.segment().key() + "|" + gap.topicKey(), List.of()).stream()
                    .filter(b -> b.lifecycle() == BriefStatus.PROPOSED).findFirst().orElseGet(() -> {
                        Brief created = new Brief();
                        created.siteId = siteId;
                        created.segmentKey = gap.segment().key();
                        created.topicKey = gap.topicKey();
                        created.moveTo(BriefStatus.PROPOSED, now);
                        created.createdAt = now;
                        return created;
                    });
            brief.kind = draft.content().kind();
            brief.journeyStage = gap.journeyStage();
            brief.title = truncate(draft.title(), 300);
            brief.priority = gap.scores().priority();
            brief.rationale = truncate(draft.rationale(), 2000);
            brief.body = Json.write(draft.content());
            brief.updatedAt = now;
            if (brief.id == null) {
                brief.persist();
            } else {
                refreshed.add(brief.id);
            }
            views.add(view(brief));
        }
        for (List<Brief> briefs : existing.values()) {
            for (Brief brief : briefs) {
                if (brief.lifecycle() == BriefStatus.PROPOSED && !refreshed.contains(brief.id)
                        && (segment == null || segment.equals(brief.segmentKey))) {
                    brief.delete();
                }
            }
        }
        views.sort(Comparator.comparingInt(BriefView::priority).reversed().thenComparingLong(BriefView::id));
        return views;
    }

    /** An open brief that someone acted on, or one closed recently, keeps the same gap from being proposed again. */
    private static boolean blocks(Brief brief, Instant cooldownStart) {
        return switch (brief.lifecycle()) {
            case PROPOSED -> false; // refreshed in place
            case ACCEPTED, SCHEDULED -> true;
            case DISMISSED, PUBLISHED, MEASURED -> brief.statusChangedAt.isAfter(cooldownStart)
                    || (brief.publishedAt != null && brief.publishedAt.isAfter(cooldownStart));
        };
    }

    /** Published briefs whose post has been live for the measurement period become {@code measured}. */
    void markMeasured(long siteId, Instant now) {
        Instant liveSince = now.minus(config.measureAfter());
        for (Brief brief : Brief.<Brief>list("siteId = :site and status = :status and publishedAt <= :since",
                Parameters.with("site", siteId).and("status", BriefStatus.PUBLISHED.apiName()).and("since", liveSince))) {
            brief.moveTo(BriefStatus.MEASURED, now);
            brief.measuredAt = now;
        }
    }

    /** Briefs of the site, highest priority first, optionally filtered by status and segment. */
    public List<BriefView> list(long siteId, String status, String segment) {
        StringBuilder query = new StringBuilder("siteId = :site");
        Parameters parameters = Parameters.with("site", siteId);
        if (status != null && !status.isBlank()) {
            BriefStatus parsed = BriefStatus.fromApiName(status);
            if (parsed == null) {
                throw ApiException.badRequest("status", "must be one of proposed, accepted, scheduled, published, measured, dismissed");
            }
            query.append(" and status = :status");
            parameters.and("status", parsed.apiName());
        }
        if (segment != null && !segment.isBlank()) {
            query.append(" and segmentKey = :segment");
            parameters.and("segment", segment);
        }
        return Brief.<Brief>find(query.toString(), Sort.descending("priority").and("id", Sort.Direction.Descending), parameters.map())
                .list().stream().map(BriefService::view).toList();
    }

    public Optional<BriefView> find(long siteId, long id) {
        return owned(siteId, id).map(BriefService::view);
    }

    /**
     * Moves a brief along its lifecycle. Unknown briefs (or another site's) are empty; a move the
     * lifecycle does not allow is a 409; {@code scheduled} needs the WordPress post id and date.
     */
    @Transactional
    public Optional<BriefView> update(long siteId, long id, PatchRequest request) {
        Optional<Brief> found = owned(siteId, id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (request == null) {
            throw ApiException.badRequest("body", "is required");
        }
        Violations violations = new Violations();
        BriefStatus target = request.status() == null ? null : BriefStatus.fromApiName(request.status());
        violations.check(target != null && BriefStatus.SETTABLE.contains(target), "status",
                "must be one of accepted, scheduled, published, dismissed");
        violations.check(request.wpPostId() == null || request.wpPostId() > 0, "wpPostId", "must be a positive WordPress post id");
        Brief brief = found.get();
        if (target == BriefStatus.SCHEDULED) {
            violations.check(request.wpPostId() != null || brief.wpPostId != null, "wpPostId", "is required to schedule a brief");
            violations.check(request.scheduledFor() != null, "scheduledFor", "is required to schedule a brief");
        }
        violations.throwIfAny();

        BriefStatus current = brief.lifecycle();
        Instant now = clock.now();
        if (current == target && target != BriefStatus.SCHEDULED) {
            return Optional.of(view(brief)); // repeating the current state changes nothing
        }
        if (!current.canMoveTo(target)) {
            throw ApiException.conflict("A " + current.apiName() + " brief cannot become " + target.apiName()
                    + "; allowed next: " + allowedNext(current));
        }
        if (request.wpPostId() != null) {
            brief.wpPostId = request.wpPostId();
        }
        if (target == BriefStatus.SCHEDULED) {
            brief.scheduledFor = request.scheduledFor();
        }
        if (target == BriefStatus.PUBLISHED) {
            brief.publishedAt = now;
        }
        brief.moveTo(target, now);
        return Optional.of(view(brief));
    }

    private static String allowedNext(BriefStatus current) {
        List<String> next = BriefStatus.SETTABLE.stream().filter(current::canMoveTo).map(BriefStatus::apiName).toList();
        return next.isEmpty() ? "none (" + current.apiName() + " is final)" : String.join(", ", next);
    }

    private static Optional<Brief> owned(long siteId, long id) {
        return Brief.<Brief>findByIdOptional(id).filter(b -> b.siteId == siteId);
    }

    private void validateSegment(long siteId, String segment) {
        if (segment.isBlank() || segment.length() > MAX_SEGMENT_KEY) {
            throw ApiException.badRequest("segment", "must be a segment key of 1 to " + MAX_SEGMENT_KEY + " characters");
        }
        if (segments.find(siteId, segment).isEmpty()) {
            throw ApiException.notFound("No segment " + segment);
        }
    }

    static BriefView view(Brief brief) {
        BriefContent content = read(brief.body);
        return new BriefView(brief.id, brief.segmentKey, content.segmentName(), content.kind(), content.topic(), brief.journeyStage,
                brief.title, content.alternativeTitles(), content.primaryKeyword(), content.secondaryKeywords(), content.angle(),
                content.audience(), content.outline(), content.internalLinks(), content.refreshOf(), content.cta(), content.wordCount(),
                content.suggestedPublishAt(), brief.priority, brief.rationale, brief.status, brief.wpPostId, brief.scheduledFor,
                brief.publishedAt, brief.createdAt, brief.updatedAt);
    }

    private static BriefContent read(String body) {
        try {
            return Json.MAPPER.readValue(body, BriefContent.class);
        } catch (Exception e) {
            throw new IllegalStateException("Stored brief body is corrupt", e);
        }
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}

package io.segmentpress.brief;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.segmentpress.brief.BriefApi.Topic;
import io.segmentpress.brief.Gap.PostReads;
import io.segmentpress.brief.Gap.Scores;
import io.segmentpress.brief.SiteDemand.Post;
import io.segmentpress.brief.SiteDemand.ReadStats;
import io.segmentpress.brief.SiteDemand.SearchStats;
import io.segmentpress.brief.SiteDemand.SegmentStats;

/**
 * Compares what each segment reads and searches for (demand) with what the catalog offers
 * (supply) and scores the gaps. Pure: everything comes in a {@link SiteDemand}.
 */
final class GapFinder {

    /** Stage segments whose members need content made for their stage to move on. */
    private static final Map<String, String> STAGE_NEEDS = Map.of("stage:consideration", "consideration", "stage:decision", "decision");
    private static final Set<String> COMPARISON_WORDS = Set.of("vs", "versus", "compare", "compared", "comparison", "alternatives", "best");
    private static final Set<String> DECISION_WORDS = Set.of("buying", "buy", "review", "checklist", "price", "pricing", "worth");

    record Settings(Duration staleAfter, int coveredAt, int minSegmentSize, int minReads, double minLift, int minUnansweredSearches,
            double refreshTopShare, double stuckShare) {

        static Settings from(BriefsConfig config) {
            return new Settings(config.staleAfter(), config.coveredAt(), config.minSegmentSize(), config.minReads(), config.minLift(),
                    config.minUnansweredSearches(), config.refreshTopShare(), config.stuckShare());
        }

        static Settings defaults() {
            return new Settings(Duration.ofDays(365), 3, 5, 10, 1.3, 5, 0.2, 0.5);
        }
    }

    private final SiteDemand site;
    private final Settings settings;
    private final Instant staleBefore;
    private final Map<String, List<Post>> postsByTopic = new HashMap<>();
    private final Map<String, Topic> topics = new HashMap<>();
    private final Map<String, Set<String>> topicWords = new HashMap<>();
    /** Each topic's words: of its slug, and of its name. */
    private final Map<String, Set<String>> slugWords = new HashMap<>();
    private final Map<String, Set<String>> nameWords = new HashMap<>();
    /** Segments share queries: each query is matched to a topic once. */
    private final Map<String, Optional<String>> matchedTopics = new HashMap<>();
    /** Title words per post, and the posts (in catalog order) whose title has a word. */
    private final Map<Long, Set<String>> titleWords = new HashMap<>();
    private final Map<String, List<Post>> postsByTitleWord = new HashMap<>();
    /** Top posts by a segment's reads, topic and excluded post: the search clusters of one segment share them. */
    private final Map<Map<Long, ReadStats>, Map<List<Object>, List<PostReads>>> topPosts = new IdentityHashMap<>();
    private final long siteSeconds;

    GapFinder(SiteDemand site, Settings settings) {
        this.site = site;
        this.settings = settings;
        this.staleBefore = site.now().minus(settings.staleAfter());
        for (Post post : site.posts().values()) {
            Set<String> words = Keywords.words(post.title());
            titleWords.put(post.id(), words);
            words.forEach(word -> postsByTitleWord.computeIfAbsent(word, w -> new ArrayList<>()).add(post));
            for (Topic topic : post.terms()) {
                postsByTopic.computeIfAbsent(topic.key(), k -> new ArrayList<>()).add(post);
                topics.putIfAbsent(topic.key(), topic);
            }
        }
        topics.forEach((key, topic) -> {
            slugWords.put(key, Keywords.words(topic.slug()));
            nameWords.put(key, Keywords.words(topic.name()));
            Set<String> words = Keywords.words(topic.slug());
            words.addAll(Keywords.words(topic.name()));
            topicWords.put(key, words);
        });
        this.siteSeconds = site.siteReads().entrySet().stream().filter(e -> site.posts().containsKey(e.getKey()))
                .mapToLong(e -> e.getValue().engagedSeconds()).sum();
    }

    /**
     * Every gap on the site, highest priority first, with at most one per topic: when several
     * segments want the same thing, the brief goes to the one with the strongest case.
     */
    List<Gap> find() {
        List<Gap> gaps = new ArrayList<>();
        for (SegmentStats segment : site.segments().values()) {
            if (segment.size() < settings.minSegmentSize()) {
                continue;
            }
            gaps.addAll(topicAndSearchGaps(segment));
            stageGap(segment).ifPresent(gaps::add);
        }
        List<Gap> refreshes = refreshGaps();
        // A topic whose only supply is a stale piece that gets a refresh brief needs the refresh, not a second piece.
        Set<Long> refreshed = new HashSet<>();
        refreshes.forEach(g -> refreshed.add(g.refreshOf().id()));
        gaps.removeIf(g -> g.type() == Gap.Type.TOPIC && g.freshSupply() == 0 && g.supply().stream().anyMatch(p -> refreshed.contains(p.id())));
        gaps.addAll(refreshes);
        // When several segments want the same thing, the brief goes to the one that wants it most.
        gaps.sort(Comparator.comparingDouble((Gap g) -> g.scores().demand()).reversed()
                .thenComparing(Comparator.comparingInt((Gap g) -> g.scores().priority()).reversed())
                .thenComparing(g -> g.segment().key()));
        Map<String, Gap> bestPerTopic = new LinkedHashMap<>();
        for (Gap gap : gaps) {
            bestPerTopic.putIfAbsent(gap.topicKey(), gap);
        }
        List<Gap> ranked = new ArrayList<>(bestPerTopic.values());
        ranked.sort(Comparator.comparingInt((Gap g) -> g.scores().priority()).reversed().thenComparing(Gap::topicKey));
        return List.copyOf(ranked);
    }

    /**
     * The gaps to propose now: {@code ranked} without the blocked ones (an open brief exists, or it
     * was dismissed recently), at or above {@code minPriority}, at most {@code perSegment} per
     * segment and {@code total} in all.
     */
    static List<Gap> select(List<Gap> ranked, Predicate<Gap> blocked, int minPriority, int perSegment, int total) {
        Map<String, Integer> perSegmentCount = new HashMap<>();
        List<Gap> selected = new ArrayList<>();
        for (Gap gap : ranked) {
            if (selected.size() >= total) {
                break;
            }
            if (gap.scores().priority() < minPriority || blocked.test(gap)) {
                continue;
            }
            int count = perSegmentCount.merge(gap.segment().key(), 1, Integer::sum);
            if (count <= perSegment) {
                selected.add(gap);
            }
        }
        return selected;
    }

    private List<Gap> topicAndSearchGaps(SegmentStats segment) {
        Map<Long, ReadStats> reads = site.segmentReads().getOrDefault(segment.key(), Map.of());
        long segmentSeconds = 0;
        Map<String, ReadStats> readsByTopic = new HashMap<>();
        for (Map.Entry<Long, ReadStats> entry : reads.entrySet()) {
            Post post = site.posts().get(entry.getKey());
            if (post == null) {
                continue;
            }
            segmentSeconds += entry.getValue().engagedSeconds();
            for (Topic topic : post.terms()) {
                readsByTopic.merge(topic.key(), entry.getValue(), ReadStats::plus);
            }
        }
        Map<String, List<SearchStats>> searchesByTopic = new HashMap<>();
        Map<String, List<SearchStats>> relatedByTopic = new HashMap<>();
        List<SearchStats> unmatched = new ArrayList<>();
        for (SearchStats search : site.segmentSearches().getOrDefault(segment.key(), List.of())) {
            String topicKey = matchTopic(search.query());
            if (topicKey != null) {
                searchesByTopic.computeIfAbsent(topicKey, k -> new ArrayList<>()).add(search);
            } else if (search.unanswered() > 0) {
                unmatched.add(search);
            }
            Set<String> ledToTopics = new HashSet<>();
            for (Long postId : search.ledTo().keySet()) {
                Post post = site.posts().get(postId);
                if (post != null) {
                    post.terms().forEach(t -> ledToTopics.add(t.key()));
                }
            }
            ledToTopics.forEach(key -> relatedByTopic.computeIfAbsent(key, k -> new ArrayList<>()).add(search));
        }

        double completion = completion(reads.values());
        double overallSecondsPerRead = secondsPerRead(reads.values());
        List<Gap> gaps = new ArrayList<>();
        Set<String> candidates = new HashSet<>(readsByTopic.keySet());
        candidates.addAll(searchesByTopic.keySet());
        for (String topicKey : candidates) {
            ReadStats topicReads = readsByTopic.getOrDefault(topicKey, ReadStats.NONE);
            double share = segmentSeconds == 0 ? 0 : (double) topicReads.engagedSeconds() / segmentSeconds;
            double siteShare = siteSeconds == 0 ? 0 : (double) siteTopicSeconds(topicKey) / siteSeconds;
            double lift = siteShare == 0 ? 0 : share / siteShare;
            List<SearchStats> searches = sortedSearches(searchesByTopic.getOrDefault(topicKey, List.of()));
            int unanswered = searches.stream().mapToInt(SearchStats::unanswered).sum();
            int unansweredSearchers = searches.stream().mapToInt(SearchStats::unansweredSearchers).max().orElse(0);
            boolean readingSignal = topicReads.reads() >= settings.minReads() && lift >= settings.minLift();
            boolean searchSignal = unanswered >= settings.minUnansweredSearches() && unansweredSearchers >= 2;
            if (!readingSignal && !searchSignal) {
                continue;
            }
            List<Post> supply = postsByTopic.getOrDefault(topicKey, List.of());
            int fresh = fresh(supply);
            if (fresh >= settings.coveredAt()) {
                continue;
            }
            double readingDemand = readingSignal ? Scores.clamp((lift - 1) / 2) * saturate(topicReads.reads(), 30) : 0;
            double searchDemand = searchDemand(segment, unanswered, unansweredSearchers);
            double demand = 1 - (1 - readingDemand) * (1 - searchDemand);
            double missing = 1 - (fresh + 0.3 * (supply.size() - fresh)) / settings.coveredAt();
            String stage = segment.dominantStage();
            boolean enoughOnTopic = topicReads.reads() >= 5;
            double secondsPerRead = enoughOnTopic ? (double) topicReads.engagedSeconds() / topicReads.reads() : overallSecondsPerRead;
            gaps.add(new Gap(Gap.Type.TOPIC, segment, topics.get(topicKey), topicKey, stage, Angle.forSegment(segment.key(), stage), null,
                    topicReads, share, lift, searches, sortedSearches(relatedByTopic.getOrDefault(topicKey, List.of())), supply, fresh,
                    List.of(), topPosts(reads, topicKey, null), secondsPerRead, enoughOnTopic ? completion(List.of(topicReads)) : completion,
                    Scores.of(demand, missing, value(segment))));
        }
        for (List<SearchStats> cluster : clusters(unmatched)) {
            int unanswered = cluster.stream().mapToInt(SearchStats::unanswered).sum();
            int unansweredSearchers = cluster.stream().mapToInt(SearchStats::unansweredSearchers).max().orElse(0);
            if (unanswered < settings.minUnansweredSearches() || unansweredSearchers < 2) {
                continue;
            }
            String head = cluster.get(0).query();
            Set<String> words = Keywords.words(head);
            List<Post> supply = postsByTitleWord.getOrDefault(words.iterator().next(), List.of()).stream()
                    .filter(p -> titleWords.get(p.id()).containsAll(words)).toList();
            int fresh = fresh(supply);
            if (fresh >= settings.coveredAt()) {
                continue;
            }
            Topic topic = new Topic("search", Keywords.slug(head), Keywords.titleCase(head));
            String stage = segment.dominantStage();
            double missing = 1 - (fresh + 0.3 * (supply.size() - fresh)) / settings.coveredAt();
            gaps.add(new Gap(Gap.Type.SEARCH, segment, topic, topic.key(), stage, Angle.forSegment(segment.key(), stage), null,
                    ReadStats.NONE, 0, 0, sortedSearches(cluster), List.of(), supply, fresh, List.of(), topPosts(reads, null, null),
                    overallSecondsPerRead, completion,
                    Scores.of(searchDemand(segment, unanswered, unansweredSearchers), missing, value(segment))));
        }
        return gaps;
    }

    /** A stage segment whose members sit there for weeks while its favourite topic has no content made for the stage. */
    private java.util.Optional<Gap> stageGap(SegmentStats segment) {
        String stage = STAGE_NEEDS.get(segment.key());
        if (stage == null || segment.size() == 0) {
            return java.util.Optional.empty();
        }
        double stuckShare = (double) segment.membersForTwoWeeks() / segment.size();
        if (stuckShare < settings.stuckShare()) {
            return java.util.Optional.empty();
        }
        Map<Long, ReadStats> reads = site.segmentReads().getOrDefault(segment.key(), Map.of());
        Map<String, ReadStats> readsByTopic = new HashMap<>();
        for (Map.Entry<Long, ReadStats> entry : reads.entrySet()) {
            Post post = site.posts().get(entry.getKey());
            if (post != null) {
                post.terms().forEach(t -> readsByTopic.merge(t.key(), entry.getValue(), ReadStats::plus));
            }
        }
        // The topic they read most, categories first: that is where the comparison is missing.
        String topicKey = readsByTopic.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, ReadStats> e) -> !e.getKey().startsWith("category:"))
                        .thenComparing(e -> -e.getValue().engagedSeconds()).thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        if (topicKey == null || readsByTopic.get(topicKey).reads() < settings.minReads()) {
            return java.util.Optional.empty();
        }
        List<Post> supply = postsByTopic.getOrDefault(topicKey, List.of());
        List<Post> stageSupply = supply.stream().filter(p -> madeFor(p, stage)).toList();
        if (stageSupply.size() >= 2) {
            return java.util.Optional.empty();
        }
        ReadStats topicReads = readsByTopic.get(topicKey);
        long segmentSeconds = reads.entrySet().stream().filter(e -> site.posts().containsKey(e.getKey()))
                .mapToLong(e -> e.getValue().engagedSeconds()).sum();
        double share = segmentSeconds == 0 ? 0 : (double) topicReads.engagedSeconds() / segmentSeconds;
        double siteShare = siteSeconds == 0 ? 0 : (double) siteTopicSeconds(topicKey) / siteSeconds;
        List<SearchStats> searches = sortedSearches(site.segmentSearches().getOrDefault(segment.key(), List.of()).stream()
                .filter(s -> topicKey.equals(matchTopic(s.query())) || s.ledTo().keySet().stream()
                        .map(site.posts()::get).anyMatch(p -> p != null && p.terms().stream().anyMatch(t -> t.key().equals(topicKey))))
                .toList());
        double demand = stuckShare * saturate(segment.membersForTwoWeeks(), 20);
        double secondsPerRead = topicReads.reads() >= 5 ? (double) topicReads.engagedSeconds() / topicReads.reads() : secondsPerRead(reads.values());
        return java.util.Optional.of(new Gap(Gap.Type.STAGE, segment, topics.get(topicKey), segment.key() + "@" + topicKey, stage,
                Angle.forStage(stage), null, topicReads, share, siteShare == 0 ? 0 : share / siteShare, searches, List.of(), supply,
                fresh(supply), stageSupply, topPosts(reads, topicKey, null), secondsPerRead, completion(reads.values()),
                Scores.of(demand, 1 - stageSupply.size() / 2.0, value(segment))));
    }

    /** Well-read pieces (the site's top share by engaged time) that have not been touched for longer than the staleness limit. */
    private List<Gap> refreshGaps() {
        List<Map.Entry<Long, ReadStats>> ranked = site.siteReads().entrySet().stream().filter(e -> site.posts().containsKey(e.getKey()))
                .sorted(Comparator.comparingLong((Map.Entry<Long, ReadStats> e) -> e.getValue().engagedSeconds()).reversed()
                        .thenComparing(Map.Entry::getKey))
                .toList();
        int top = (int) Math.max(1, Math.ceil(ranked.size() * settings.refreshTopShare()));
        List<Gap> gaps = new ArrayList<>();
        for (int rank = 0; rank < Math.min(top, ranked.size()); rank++) {
            Post post = site.posts().get(ranked.get(rank).getKey());
            ReadStats siteReads = ranked.get(rank).getValue();
            Instant touched = post.lastTouched();
            if (touched == null || !touched.isBefore(staleBefore) || siteReads.reads() < settings.minReads()) {
                continue;
            }
            SegmentStats best = null;
            double bestAffinity = 0;
            for (SegmentStats segment : site.segments().values()) {
                if (segment.size() < settings.minSegmentSize()) {
                    continue;
                }
                Map<Long, ReadStats> reads = site.segmentReads().getOrDefault(segment.key(), Map.of());
                ReadStats postReads = reads.getOrDefault(post.id(), ReadStats.NONE);
                if (postReads.reads() * 2 < settings.minReads()) {
                    continue;
                }
                long segmentSeconds = reads.values().stream().mapToLong(ReadStats::engagedSeconds).sum();
                double lift = ((double) postReads.engagedSeconds() / segmentSeconds) / ((double) siteReads.engagedSeconds() / siteSeconds);
                double affinity = postReads.reads() * Math.min(3, lift);
                if (Angle.hasOwnNeed(segment.key())) {
                    affinity *= 1.1; // segments with a need of their own (deals, depth, win-back) make the sharper brief
                }
                if (affinity > bestAffinity) {
                    bestAffinity = affinity;
                    best = segment;
                }
            }
            if (best == null) {
                continue;
            }
            Map<Long, ReadStats> reads = site.segmentReads().getOrDefault(best.key(), Map.of());
            ReadStats postReads = reads.get(post.id());
            Topic topic = post.terms().stream().filter(t -> t.taxonomy().equals("category")).findFirst()
                    .orElse(post.terms().isEmpty() ? new Topic("search", Keywords.slug(post.title()), post.title()) : post.terms().get(0));
            double ageYears = Duration.between(touched, site.now()).toDays() / 365.0;
            double popularity = 1 - (double) rank / top;
            double demand = popularity * saturate(siteReads.reads(), 50);
            double missing = 0.5 + 0.5 * Math.min(1, ageYears - settings.staleAfter().toDays() / 365.0);
            String stage = post.journeyStage() != null ? post.journeyStage() : best.dominantStage();
            long segmentSeconds = reads.values().stream().mapToLong(ReadStats::engagedSeconds).sum();
            gaps.add(new Gap(Gap.Type.REFRESH, best, topic, "refresh:" + post.id(), stage, Angle.forSegment(best.key(), stage), post,
                    postReads, segmentSeconds == 0 ? 0 : (double) postReads.engagedSeconds() / segmentSeconds,
                    ((double) postReads.engagedSeconds() / Math.max(1, segmentSeconds)) / ((double) siteReads.engagedSeconds() / Math.max(1, siteSeconds)),
                    relatedSearches(best.key(), post), List.of(), List.of(post), 0, List.of(), topPosts(reads, topic.key(), post.id()),
                    (double) postReads.engagedSeconds() / postReads.reads(), completion(List.of(postReads)),
                    Scores.of(demand, missing, value(best))));
        }
        return gaps;
    }

    private List<SearchStats> relatedSearches(String segmentKey, Post post) {
        return sortedSearches(site.segmentSearches().getOrDefault(segmentKey, List.of()).stream()
                .filter(s -> s.ledTo().containsKey(post.id())).toList());
    }

    /** The catalog topic a query is about: the one whose words it contains, the most specific when several fit. */
    String matchTopic(String query) {
        return matchedTopics.computeIfAbsent(query, q -> Optional.ofNullable(findTopic(q))).orElse(null);
    }

    private String findTopic(String query) {
        Set<String> words = Keywords.words(query);
        String best = null;
        int bestWords = 0;
        int bestPosts = Integer.MAX_VALUE;
        for (Map.Entry<String, Set<String>> entry : topicWords.entrySet()) {
            Set<String> topicWordSet = slugWords.get(entry.getKey());
            if (topicWordSet.isEmpty() || !words.containsAll(topicWordSet)) {
                topicWordSet = nameWords.get(entry.getKey());
                if (topicWordSet.isEmpty() || !words.containsAll(topicWordSet)) {
                    continue;
                }
            }
            int posts = postsByTopic.get(entry.getKey()).size();
            if (topicWordSet.size() > bestWords || (topicWordSet.size() == bestWords && (posts < bestPosts
                    || (posts == bestPosts && entry.getKey().compareTo(best) < 0)))) {
                best = entry.getKey();
                bestWords = topicWordSet.size();
                bestPosts = posts;
            }
        }
        return best;
    }

    /** Groups queries whose words contain a shorter query's words under that query ("gluten free" ⊂ "gluten free pasta"). */
    static List<List<SearchStats>> clusters(List<SearchStats> searches) {
        List<SearchStats> byLength = new ArrayList<>(searches);
        byLength.sort(Comparator.comparingInt((SearchStats s) -> Keywords.words(s.query()).size()).thenComparing(s -> -s.searches())
                .thenComparing(SearchStats::query));
        List<List<SearchStats>> clusters = new ArrayList<>();
        List<Set<String>> heads = new ArrayList<>();
        for (SearchStats search : byLength) {
            Set<String> words = Keywords.words(search.query());
            if (words.isEmpty()) {
                continue;
            }
            int found = -1;
            for (int i = 0; i < heads.size() && found < 0; i++) {
                if (words.containsAll(heads.get(i))) {
                    found = i;
                }
            }
            if (found >= 0) {
                clusters.get(found).add(search);
            } else {
                clusters.add(new ArrayList<>(List.of(search)));
                heads.add(words);
            }
        }
        return clusters;
    }

    private boolean madeFor(Post post, String stage) {
        if (post.journeyStage() != null) {
            return post.journeyStage().equals(stage);
        }
        Set<String> titleWords = Keywords.words(post.title().replace(" vs", " versus").replace("vs.", "versus"));
        titleWords.addAll(List.of(post.title().toLowerCase(java.util.Locale.ROOT).split("\\W+")));
        Set<String> cues = stage.equals("consideration") ? COMPARISON_WORDS : DECISION_WORDS;
        return titleWords.stream().anyMatch(cues::contains);
    }

    private List<PostReads> topPosts(Map<Long, ReadStats> reads, String topicKey, Long exclude) {
        return topPosts.computeIfAbsent(reads, r -> new HashMap<>())
                .computeIfAbsent(Arrays.asList(topicKey, exclude), key -> rankPosts(reads, topicKey, exclude));
    }

    private List<PostReads> rankPosts(Map<Long, ReadStats> reads, String topicKey, Long exclude) {
        Stream<Map.Entry<Long, ReadStats>> candidates = topicKey == null ? reads.entrySet().stream()
                : postsByTopic.getOrDefault(topicKey, List.of()).stream().map(Post::id).distinct().filter(reads::containsKey)
                        .map(id -> Map.entry(id, reads.get(id)));
        return candidates
                .filter(e -> !e.getKey().equals(exclude))
                .filter(e -> site.posts().containsKey(e.getKey()))
                .sorted(Comparator.comparingLong((Map.Entry<Long, ReadStats> e) -> e.getValue().engagedSeconds()).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(5)
                .map(e -> new PostReads(site.posts().get(e.getKey()), e.getValue()))
                .toList();
    }

    private long siteTopicSeconds(String topicKey) {
        long seconds = 0;
        for (Post post : postsByTopic.getOrDefault(topicKey, List.of())) {
            seconds += site.siteReads().getOrDefault(post.id(), ReadStats.NONE).engagedSeconds();
        }
        return seconds;
    }

    private int fresh(List<Post> supply) {
        return (int) supply.stream().filter(p -> p.lastTouched() != null && !p.lastTouched().isBefore(staleBefore)).count();
    }

    /** Unanswered searches, weighted by how much of the segment is searching. */
    private static double searchDemand(SegmentStats segment, int unanswered, int unansweredSearchers) {
        if (unanswered == 0) {
            return 0;
        }
        double penetration = segment.size() == 0 ? 0 : (double) unansweredSearchers / segment.size();
        return saturate(unanswered, 15) * (0.3 + 0.7 * Math.min(1, penetration * 2));
    }

    /** What the segment is worth to the site: its share of visitors and of revenue. */
    private double value(SegmentStats segment) {
        double sizeShare = site.siteVisitors() == 0 ? 0 : Math.min(1, (double) segment.size() / site.siteVisitors());
        if (site.siteRevenue().signum() <= 0) {
            return Math.sqrt(sizeShare);
        }
        double revenueShare = Math.min(1, segment.revenue().doubleValue() / site.siteRevenue().doubleValue());
        return 0.5 * Math.sqrt(sizeShare) + 0.5 * Math.sqrt(revenueShare);
    }

    private static double saturate(double amount, double scale) {
        return 1 - Math.exp(-amount / scale);
    }

    private static double completion(java.util.Collection<ReadStats> reads) {
        int total = reads.stream().mapToInt(ReadStats::reads).sum();
        return total == 0 ? 0 : (double) reads.stream().mapToInt(ReadStats::completed).sum() / total;
    }

    private static double secondsPerRead(java.util.Collection<ReadStats> reads) {
        int total = reads.stream().mapToInt(ReadStats::reads).sum();
        return total == 0 ? 0 : (double) reads.stream().mapToLong(ReadStats::engagedSeconds).sum() / total;
    }

    private static List<SearchStats> sortedSearches(List<SearchStats> searches) {
        return searches.stream().sorted(Comparator.comparingInt(SearchStats::searches).reversed().thenComparing(SearchStats::query)).toList();
    }
}

package io.segmentpress.brief;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.segmentpress.brief.BriefApi.Audience;
import io.segmentpress.brief.BriefApi.ContentLink;
import io.segmentpress.brief.BriefApi.ContentStat;
import io.segmentpress.brief.BriefApi.SearchStat;
import io.segmentpress.brief.BriefApi.WordCount;
import io.segmentpress.brief.Gap.PostReads;
import io.segmentpress.brief.SiteDemand.Post;
import io.segmentpress.brief.SiteDemand.ReadStats;
import io.segmentpress.brief.SiteDemand.SearchStats;

/**
 * Writes a brief from a {@link Gap}: titles and outline from templates per angle, keywords from the
 * segment's own searches and the tags of what it reads, and every number in the rationale taken
 * from the gap. Pure and deterministic.
 */
final class BriefWriter {

    /** The words, rationale and columns of one brief. */
    record Draft(String title, String rationale, BriefContent content) {
    }

    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.US).withZone(ZoneOffset.UTC);
    private static final int MIN_WORDS = 300;
    private static final int MAX_WORDS = 4000;

    private final SiteDemand site;
    private final int wordsPerMinute;
    private final Duration publishLeadTime;
    private final long windowDays;

    BriefWriter(SiteDemand site, int wordsPerMinute, Duration publishLeadTime) {
        this.site = site;
        this.wordsPerMinute = wordsPerMinute;
        this.publishLeadTime = publishLeadTime;
        this.windowDays = Math.max(1, Duration.between(site.windowStart(), site.now()).toDays());
    }

    Draft write(Gap gap) {
        String topicName = gap.topic().name();
        String primary = primaryKeyword(gap);
        String keywordTitle = Keywords.titleCase(primary);
        int year = site.now().atZone(site.zone()).getYear();
        // A short query reads well in a headline; a long one ("espresso machine under 500") belongs in the body.
        String subject = Keywords.words(primary).size() <= 3 ? keywordTitle : topicName;
        List<String> titles = new ArrayList<>(gap.type() == Gap.Type.REFRESH ? refreshTitles(gap.refreshOf(), keywordTitle, gap.angle(), year)
                : titles(gap.angle(), topicName, subject, year));
        if (gap.angle() == Angle.COMPARISON) {
            gap.searches().stream().map(SearchStats::query).filter(q -> q.contains(" vs ") || q.contains(" versus ")).findFirst()
                    .ifPresent(q -> titles.add(Keywords.titleCase(q) + ": Which Should You Choose?"));
        }
        List<String> evidence = evidence(gap);
        BriefContent content = new BriefContent(
                gap.segment().name(),
                gap.type() == Gap.Type.REFRESH ? "refresh" : "new",
                gap.topic(),
                titles.subList(1, titles.size()),
                primary,
                secondaryKeywords(gap, primary),
                angleSentence(gap),
                new Audience(gap.segment().size(), gap.segment().revenue().setScale(2, RoundingMode.HALF_UP), site.currency(),
                        gap.topPosts().stream().limit(5).map(BriefWriter::contentStat).toList(),
                        topSearches(gap),
                        evidence),
                outline(gap, subject, primary),
                internalLinks(gap),
                gap.refreshOf() == null ? null : link(gap.refreshOf()),
                cta(gap.angle(), topicName),
                wordCount(gap),
                PublishSlots.next(PublishSlots.peakHour(site.segmentActivity().get(gap.segment().key())), site.zone(),
                        site.now().plus(publishLeadTime)));
        return new Draft(titles.get(0), String.join(" ", evidence), content);
    }

    // ----- titles -------------------------------------------------------------------------------

    static List<String> titles(Angle angle, String topic, String keyword, int year) {
        String subject = keyword.isBlank() ? topic : keyword;
        return switch (angle) {
            case DEALS -> List.of(subject + " on a Budget: How to Get More for Less",
                    "The Best-Value " + topic + " Picks Right Now",
                    "Is Cheaper " + subject + " Worth It? What We Found",
                    "Where the Real Savings on " + topic + " Are in " + year);
            case ADVANCED -> List.of("Advanced " + subject + ": The Techniques Experienced Readers Ask About",
                    topic + " Beyond the Basics: A Deep Dive",
                    subject + ": The Details Most Guides Skip",
                    "Mastering " + subject + ": Lessons From Years of Practice");
            case WIN_BACK -> List.of("What's New in " + subject + ": The " + year + " Changes Worth Knowing",
                    topic + ", Revisited: What Changed Since You Last Looked",
                    "The " + topic + " Roundup: Our Best Pieces You May Have Missed");
            case INSIDER -> List.of(subject + ": The Insider's Guide Our Best Customers Asked For",
                    "An Expert's Take on " + subject,
                    "Early Picks: " + topic + " for " + year);
            case COMPARISON -> List.of(subject + " Compared: How to Choose the Right One for You",
                    "Which " + subject + " Is Right for You? Pros, Cons and Who Each Suits",
                    subject + ": An Honest Side-by-Side Comparison",
                    "The " + topic + " Options Weighed Up (" + year + ")");
            case BUYING_GUIDE -> List.of(subject + " Buying Guide: What to Check Before You Buy",
                    "Before You Buy " + subject + ": A Practical Checklist",
                    subject + ": Is It Worth It? An Honest Answer");
            case HOW_TO -> List.of("How to Get the Most Out of " + subject + ": Practical Tips",
                    subject + ": A Step-by-Step Guide",
                    topic + " Tips From Readers Who Use It Every Day");
            case COMMUNITY -> List.of(subject + " Stories: How Our Readers Do It",
                    "Reader Favourites: The Best of " + topic,
                    "Show Us Yours: " + subject + " From the Community");
            case BEGINNER_GUIDE -> List.of(subject + " for Beginners: Everything You Need to Get Started",
                    "A Beginner's Guide to " + subject,
                    topic + " Explained: The Basics in Plain Words");
        };
    }

    static List<String> refreshTitles(Post post, String keyword, Angle angle, int year) {
        String base = post.title().replaceAll("\\s*\\(?\\b(19|20)\\d{2}\\b\\)?", "").trim();
        List<String> titles = new ArrayList<>();
        titles.add(base + " (Updated for " + year + ")");
        titles.add(base + ": Revised and Expanded");
        titles.add(keyword + ": What's Changed and What Still Works in " + year);
        if (angle == Angle.DEALS) {
            titles.add(base + ", With This Year's Best-Value Options");
        } else if (angle == Angle.ADVANCED) {
            titles.add(base + ": Now With Advanced Techniques");
        }
        return titles;
    }

    // ----- keywords -----------------------------------------------------------------------------

    /** The segment's own words: its most frequent query on the topic, else the topic's name. */
    static String primaryKeyword(Gap gap) {
        if (!gap.searches().isEmpty()) {
            return gap.searches().get(0).query();
        }
        if (!gap.relatedSearches().isEmpty()) {
            return gap.relatedSearches().get(0).query();
        }
        if (gap.type() == Gap.Type.REFRESH) {
            // What the piece is specifically about: its first tag, else its topic.
            return gap.refreshOf().terms().stream().filter(t -> t.taxonomy().equals("tag")).findFirst().orElse(gap.topic()).name()
                    .toLowerCase(Locale.ROOT);
        }
        return gap.topic().name().toLowerCase(Locale.ROOT);
    }

    private static List<String> secondaryKeywords(Gap gap, String primary) {
        Set<String> keywords = new LinkedHashSet<>();
        gap.searches().forEach(s -> keywords.add(s.query()));
        gap.relatedSearches().forEach(s -> keywords.add(s.query()));
        String topicWords = gap.topic().name().toLowerCase(Locale.ROOT);
        if (!Keywords.words(primary).containsAll(Keywords.words(topicWords))) {
            keywords.add(topicWords);
        }
        // Tags of the pieces this segment reads on the topic: the vocabulary it already responds to.
        for (PostReads top : gap.topPosts()) {
            top.post().terms().stream().filter(t -> t.taxonomy().equals("tag") && !t.key().equals(gap.topic().key()))
                    .forEach(t -> keywords.add(t.name().toLowerCase(Locale.ROOT)));
        }
        keywords.remove(primary);
        return keywords.stream().limit(6).toList();
    }

    private static List<SearchStat> topSearches(Gap gap) {
        List<SearchStats> searches = gap.searches().isEmpty() ? gap.relatedSearches() : gap.searches();
        return searches.stream().limit(5).map(s -> new SearchStat(s.query(), s.searches(), s.searchers(), s.unanswered())).toList();
    }

    // ----- body ---------------------------------------------------------------------------------

    private String angleSentence(Gap gap) {
        String who = capitalize(gap.segment().name());
        return switch (gap.type()) {
            case STAGE -> who + " keep reading about " + gap.topic().name() + " without deciding; give them " + gap.angle().benefit() + ".";
            case REFRESH -> who + " still read this piece; bring it up to date with " + gap.angle().benefit() + ".";
            default -> who + " look for " + gap.topic().name() + " and want " + gap.angle().benefit() + ".";
        };
    }

    private List<String> outline(Gap gap, String topic, String primary) {
        List<String> outline = new ArrayList<>();
        if (gap.type() == Gap.Type.REFRESH) {
            Post post = gap.refreshOf();
            outline.add("Update what has aged in “" + post.title() + "” (last updated " + MONTH.format(post.lastTouched())
                    + "): facts, prices, screenshots, broken links");
            outline.add("Keep the sections readers finish: " + percent(gap.completion()) + " of " + gap.segment().name()
                    + " scroll to the end");
        }
        outline.add("Introduction: who this is for (" + gap.segment().name() + ") and what they will get: " + gap.angle().benefit());
        switch (gap.angle()) {
            case COMPARISON -> outline.addAll(List.of("The criteria that matter when choosing " + topic,
                    "Side-by-side comparison of the main options (table)", "Who each option suits best, with a clear pick per need",
                    "Our verdict and the trade-offs"));
            case DEALS -> outline.addAll(List.of("What drives the price of " + topic + " (and what is worth paying for)",
                    "The best-value options right now, with current offers", "Where saving money is a false economy",
                    "How to save more: coupons, bundles and timing"));
            case ADVANCED -> outline.addAll(List.of("A one-paragraph recap of the basics, linking the introductory pieces",
                    "Three advanced techniques with worked examples", "Mistakes experienced readers still make",
                    "Tools and resources for going further"));
            case WIN_BACK -> outline.addAll(List.of("What changed in " + topic + " since last year",
                    "The pieces readers liked most, and why", "What is coming next on the site"));
            case INSIDER -> outline.addAll(List.of("What sets the best " + topic + " apart", "Tips from experts and long-time customers",
                    "An early look at what is new"));
            case BUYING_GUIDE -> outline.addAll(List.of("What to check before buying " + topic, "Price ranges and what each gets you",
                    "Common regrets and how to avoid them", "A checklist to take to the shop"));
            case HOW_TO -> outline.addAll(List.of("Getting set up", "Step by step, with photos", "Troubleshooting the usual problems",
                    "Next steps for readers who want more"));
            case COMMUNITY -> outline.addAll(List.of("Three reader stories", "What they have in common", "How to share your own"));
            case BEGINNER_GUIDE -> outline.addAll(List.of("What " + topic + " is and why it matters", "Your first steps",
                    "Beginner mistakes to avoid", "Where to go next"));
        }
        for (SearchStats search : gap.searches().stream().limit(4).toList()) {
            outline.add("Answer the search “" + search.query() + "” directly (" + count(search.searches()) + " searches"
                    + (search.unanswered() > 0 ? ", " + count(search.unanswered()) + " found nothing)" : ")"));
        }
        if (gap.searches().isEmpty() && !primary.isBlank()) {
            outline.add("Use “" + primary + "” in the title, the first paragraph and one subheading");
        }
        outline.add("Call to action: " + cta(gap.angle(), gap.topic().name()));
        return outline;
    }

    static String cta(Angle angle, String topic) {
        return switch (angle) {
            case DEALS -> "Link this week's " + topic + " offers and remind readers of the coupon for returning customers.";
            case COMPARISON -> "Close with “See our top pick” linking to the recommended option, and offer the comparison as a printable checklist.";
            case BUYING_GUIDE -> "Link each recommended product with an add-to-cart button and state the delivery and returns terms.";
            case ADVANCED -> "Invite readers to subscribe to the advanced newsletter and to ask their hardest " + topic + " question in the comments.";
            case WIN_BACK -> "Welcome readers back: invite them to sign in for the roundup of what they missed, with a comeback offer.";
            case INSIDER -> "Offer early access or a members-only preview of new " + topic + " for the site's best customers.";
            case HOW_TO -> "Suggest the next how-to in the series and ask readers to review what they bought.";
            case COMMUNITY -> "Ask readers to share their own " + topic + " story or photo with the site's hashtag.";
            case BEGINNER_GUIDE -> "Invite readers to subscribe to the newsletter for the rest of the beginner series.";
        };
    }

    /** The segment's best-performing pieces on the topic (never the refreshed piece itself), else its favourites overall. */
    private List<ContentLink> internalLinks(Gap gap) {
        List<ContentLink> links = new ArrayList<>();
        Set<Long> seen = new java.util.HashSet<>();
        if (gap.refreshOf() != null) {
            seen.add(gap.refreshOf().id());
        }
        for (PostReads top : gap.topPosts()) {
            if (links.size() < 3 && seen.add(top.post().id())) {
                links.add(link(top.post()));
            }
        }
        if (links.size() < 3) {
            site.segmentReads().getOrDefault(gap.segment().key(), java.util.Map.of()).entrySet().stream()
                    .filter(e -> site.posts().containsKey(e.getKey()))
                    .sorted(java.util.Comparator.comparingLong((java.util.Map.Entry<Long, ReadStats> e) -> e.getValue().engagedSeconds())
                            .reversed().thenComparing(java.util.Map.Entry::getKey))
                    .map(e -> site.posts().get(e.getKey()))
                    .filter(p -> seen.add(p.id()))
                    .limit(3 - links.size())
                    .forEach(p -> links.add(link(p)));
        }
        return links;
    }

    /** How long this segment actually reads, in words: engaged seconds per read at the configured reading speed. */
    WordCount wordCount(Gap gap) {
        if (gap.secondsPerRead() <= 0) {
            return new WordCount(800, 1200);
        }
        double words = gap.secondsPerRead() * wordsPerMinute / 60.0;
        if (gap.completion() < 0.4) {
            words *= 0.85; // most of them stop before the end: keep it tighter than what they read now
        }
        int min = clampWords(round50(words * 0.8));
        int max = Math.max(min + 200, clampWords(round50(words * 1.2)));
        return new WordCount(min, Math.min(MAX_WORDS, max));
    }

    // ----- evidence -----------------------------------------------------------------------------

    private List<String> evidence(Gap gap) {
        List<String> sentences = new ArrayList<>();
        String who = gap.segment().name();
        String days = windowDays + " days";
        switch (gap.type()) {
            case TOPIC, SEARCH -> {
                if (!gap.searches().isEmpty()) {
                    SearchStats top = gap.searches().get(0);
                    int others = gap.searches().size() - 1;
                    sentences.add(count(top.searchers()) + " " + who + " searched “" + top.query() + "”"
                            + (others > 0 ? " (and " + others + " similar " + (others == 1 ? "query" : "queries") + ")" : "") + " "
                            + count(gap.searchCount()) + " times in " + days + "; " + count(gap.unanswered())
                            + " of those searches led to no content.");
                }
                if (gap.topicReads().reads() > 0 && gap.lift() > 0) {
                    sentences.add(capitalize(who) + " spend " + percent(gap.readingShare()) + " of their reading time on "
                            + gap.topic().name() + " (" + oneDecimal(gap.lift()) + "× the site's share), " + count(gap.topicReads().reads())
                            + " engaged reads in " + days + ".");
                }
                sentences.add(supplySentence(gap));
            }
            case REFRESH -> {
                Post post = gap.refreshOf();
                ReadStats siteReads = site.siteReads().getOrDefault(post.id(), ReadStats.NONE);
                long months = Math.max(1, Duration.between(post.lastTouched(), site.now()).toDays() / 30);
                sentences.add("“" + post.title() + "” is one of the site's most-read pieces (" + count(siteReads.reads())
                        + " engaged reads in " + days + ", " + count(gap.topicReads().reads()) + " of them by " + who
                        + ") but was last updated " + months + " months ago.");
            }
            case STAGE -> {
                sentences.add(count(gap.segment().membersForTwoWeeks()) + " of " + count(gap.segment().size()) + " " + who
                        + " first came more than 14 days ago and have not moved on.");
                sentences.add("They read " + gap.topic().name() + " most (" + count(gap.topicReads().reads()) + " engaged reads in "
                        + days + "), but the catalog has " + count(gap.stageSupply().size()) + " " + gap.journeyStage()
                        + "-stage " + (gap.stageSupply().size() == 1 ? "piece" : "pieces") + " on it.");
                if (!gap.searches().isEmpty()) {
                    SearchStats top = gap.searches().get(0);
                    sentences.add("Their top search on it: “" + top.query() + "” (" + count(top.searches()) + " times).");
                }
            }
        }
        sentences.add("Segment: " + count(gap.segment().size()) + " members, " + (gap.segment().revenue().signum() > 0
                ? "revenue " + money(gap.segment().revenue()) + " " + site.currency() : "no purchases yet") + ".");
        return sentences;
    }

    private String supplySentence(Gap gap) {
        int stale = gap.supply().size() - gap.freshSupply();
        String subject = gap.type() == Gap.Type.SEARCH ? "it" : gap.topic().name();
        if (gap.supply().isEmpty()) {
            return "No published piece covers " + subject + ".";
        }
        String fresh = gap.freshSupply() == 0 ? "no piece updated in the last 12 months"
                : count(gap.freshSupply()) + (gap.freshSupply() == 1 ? " recent piece" : " recent pieces");
        return "The catalog has " + fresh + " on " + subject + (stale > 0 ? " (" + count(stale) + " older)" : "") + ".";
    }

    private static ContentStat contentStat(PostReads reads) {
        ReadStats stats = reads.reads();
        return new ContentStat(reads.post().id(), reads.post().title(), reads.post().url(), stats.reads(),
                stats.engagedSeconds(), stats.reads() == 0 ? 0 : Math.round(100.0 * stats.completed() / stats.reads()) / 100.0);
    }

    private static ContentLink link(Post post) {
        return new ContentLink(post.id(), post.title(), post.url());
    }

    private static int round50(double value) {
        return (int) (Math.round(value / 50.0) * 50);
    }

    private static int clampWords(int words) {
        return Math.max(MIN_WORDS, Math.min(MAX_WORDS, words));
    }

    private static String count(long value) {
        return NumberFormat.getIntegerInstance(Locale.US).format(value);
    }

    private static String money(BigDecimal value) {
        NumberFormat format = NumberFormat.getNumberInstance(Locale.US);
        format.setMaximumFractionDigits(value.stripTrailingZeros().scale() > 0 ? 2 : 0);
        format.setMinimumFractionDigits(value.stripTrailingZeros().scale() > 0 ? 2 : 0);
        return format.format(value);
    }

    private static String percent(double share) {
        return Math.round(share * 100) + " %";
    }

    private static String oneDecimal(double value) {
        return String.format(Locale.US, "%.1f", value);
    }

    private static String capitalize(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}

package io.segmentpress.recommend;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * A published item of a site's catalog as the ranker sees it: its topics and what kind of
 * content it is, derived once when the catalog is loaded.
 */
public final class CatalogItem {

    /** A category or tag: its slug and display name. */
    public record Term(String slug, String name) {
    }

    private final long contentId;
    private final String title;
    private final String url;
    private final String type;
    private final long publishedAtMillis;
    private final List<Term> categories;
    private final List<Term> tags;
    private final String journeyStage;
    private final int wordCount;
    private final boolean onSale;
    private final BigDecimal price;
    /** Topic keys {@code c:slug} of the categories. */
    private final String[] categoryKeys;
    private final boolean howTo;
    private final boolean comparison;
    private final boolean caseStudy;
    private final boolean introductory;
    private final boolean deals;

    public CatalogItem(long contentId, String title, String url, String type, long publishedAtMillis, List<Term> categories,
            List<Term> tags, String journeyStage, Integer wordCount, Boolean onSale, BigDecimal price) {
        this.contentId = contentId;
        this.title = title;
        this.url = url;
        this.type = type;
        this.publishedAtMillis = publishedAtMillis;
        this.categories = List.copyOf(categories);
        this.tags = List.copyOf(tags);
        this.journeyStage = journeyStage == null ? null : journeyStage.toLowerCase(Locale.ROOT);
        this.wordCount = wordCount == null ? 0 : wordCount;
        this.onSale = Boolean.TRUE.equals(onSale);
        this.price = price;
        this.categoryKeys = categories.stream().map(term -> categoryKey(term.slug())).toArray(String[]::new);

        StringBuilder text = new StringBuilder(" ").append(title == null ? "" : title.toLowerCase(Locale.ROOT)).append(' ');
        for (Term term : categories) {
            text.append(term.slug().toLowerCase(Locale.ROOT)).append(' ');
        }
        for (Term term : tags) {
            text.append(term.slug().toLowerCase(Locale.ROOT)).append(' ');
        }
        String haystack = text.toString().replace('-', ' ');
        this.howTo = containsAny(haystack, " how to ", " guide", " tutorial", " tips ", " step by step", " diy ");
        this.comparison = containsAny(haystack, " vs ", " vs. ", " versus ", " compare", " comparison", " review", " best ",
                " alternatives");
        this.caseStudy = containsAny(haystack, " case study", " case studies", " success stor", " customer stor");
        this.introductory = containsAny(haystack, " what is ", " beginner", " introduction", " 101 ", " getting started",
                " basics");
        this.deals = containsAny(haystack, " sale ", " deal", " coupon", " discount", " bargain", " budget", " cheap");
    }

    public static String categoryKey(String slug) {
        return "c:" + slug;
    }

    public static String tagKey(String slug) {
        return "t:" + slug;
    }

    private static boolean containsAny(String haystack, String... needles) {
        for (String needle : needles) {
            if (haystack.contains(needle)) {
                return true;
            }
        }
        return false;
    }

    public long contentId() {
        return contentId;
    }

    public String title() {
        return title;
    }

    public String url() {
        return url;
    }

    public String type() {
        return type;
    }

    public long publishedAtMillis() {
        return publishedAtMillis;
    }

    public List<Term> categories() {
        return categories;
    }

    public List<Term> tags() {
        return tags;
    }

    public String journeyStage() {
        return journeyStage;
    }

    public int wordCount() {
        return wordCount;
    }

    public boolean onSale() {
        return onSale;
    }

    public BigDecimal price() {
        return price;
    }

    String[] categoryKeys() {
        return categoryKeys;
    }

    boolean isProduct() {
        return "product".equals(type);
    }

    boolean isHowTo() {
        return howTo;
    }

    boolean isComparison() {
        return comparison;
    }

    boolean isCaseStudy() {
        return caseStudy;
    }

    boolean isIntroductory() {
        return introductory;
    }

    boolean isAboutDeals() {
        return deals;
    }
}

package io.segmentpress.recommend;

import java.util.List;

/**
 * How well an item suits a visitor's journey stage and purchase behavior, with the reason a
 * visitor would understand. Stage rules follow the journey in segments.md: introductory content
 * while becoming aware, comparisons and how-tos while considering, products when deciding,
 * getting-more-out-of-it content for customers.
 */
final class AudienceFit {

    /** A fit score 0–1 and its reason; {@link #NONE} when nothing fits. */
    record Fit(double score, String reason) {
    }

    static final Fit NONE = new Fit(0, null);

    /** Segment and stage keys that have fit rules; each gets a precomputed pool of fitting items. */
    static final List<String> POOL_KEYS = List.of("stage:awareness", "stage:consideration", "stage:decision", "stage:retention",
            "stage:advocacy", "bargain-hunter", "window-shopper", "vip", "loyal", "power-user");

    private AudienceFit() {
    }

    static Fit of(CatalogItem item, String stage, List<String> segments) {
        Fit best = stageFit(item, stage);
        for (String segment : segments) {
            Fit fit = segmentFit(item, segment);
            if (fit.score() > best.score()) {
                best = fit;
            }
        }
        return best;
    }

    /** Fit with one key of {@link #POOL_KEYS}: a stage or a segment. */
    static Fit forKey(CatalogItem item, String key) {
        return key.startsWith("stage:") ? stageFit(item, key) : segmentFit(item, key);
    }

    static Fit stageFit(CatalogItem item, String stage) {
        if (stage == null) {
            return NONE;
        }
        String bare = stage.startsWith("stage:") ? stage.substring(6) : stage;
        switch (bare) {
            case "awareness":
                if (bare.equals(item.journeyStage()) || item.isIntroductory()) {
                    return new Fit(1.0, "A good place to start");
                }
                return item.isHowTo() ? new Fit(0.6, "A good place to start") : NONE;
            case "consideration":
                if (bare.equals(item.journeyStage()) || item.isComparison()) {
                    return new Fit(1.0, "Helps you compare your options");
                }
                if (item.isHowTo() || item.isCaseStudy()) {
                    return new Fit(0.7, "Helps you decide what fits you");
                }
                return item.isProduct() ? new Fit(0.4, "Worth a look while you compare") : NONE;
            case "decision":
                if (item.isProduct()) {
                    return new Fit(item.onSale() ? 1.0 : 0.9, "Picked for you while you decide");
                }
                if (bare.equals(item.journeyStage()) || item.isComparison() || item.isCaseStudy()) {
                    return new Fit(0.8, "Helps you make the final call");
                }
                return NONE;
            case "retention":
            case "advocacy":
                if (bare.equals(item.journeyStage()) || item.isHowTo()) {
                    return new Fit(0.9, "Get more out of what you bought");
                }
                return item.isCaseStudy() ? new Fit(0.6, "See how others use it") : NONE;
            default:
                return NONE;
        }
    }

    static Fit segmentFit(CatalogItem item, String segment) {
        switch (segment) {
            case "bargain-hunter":
            case "window-shopper":
                if (item.onSale()) {
                    return new Fit(1.0, "On sale now");
                }
                return item.isAboutDeals() ? new Fit(0.8, "Ways to save on your next order") : NONE;
            case "vip":
            case "loyal":
                return item.isProduct() ? new Fit(0.6, "Picked for our regular customers") : NONE;
            case "power-user":
                return item.wordCount() >= 1500 ? new Fit(0.6, "An in-depth read for regular readers") : NONE;
            default:
                return NONE;
        }
    }
}

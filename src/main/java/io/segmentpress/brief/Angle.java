package io.segmentpress.brief;

/**
 * The benefit a segment is looking for, which sets a brief's tone, titles, outline and call to
 * action. Segments with a clear need get their own angle (bargain hunters want deals, power users
 * depth, at-risk readers a reason to come back); other segments get the angle of their journey stage.
 */
enum Angle {
    BEGINNER_GUIDE("a clear introduction for people new to the topic"),
    COMPARISON("an honest comparison that helps readers choose between the options they are weighing"),
    BUYING_GUIDE("a practical buying guide that removes the last doubts before a purchase"),
    HOW_TO("practical how-tos that help existing customers get more out of what they have"),
    COMMUNITY("stories and showcases that fans will want to share"),
    DEALS("value: how to get the most for the money, with the current deals and savings"),
    ADVANCED("depth: advanced techniques and details experienced readers cannot find elsewhere"),
    WIN_BACK("what is new and worth coming back for, for readers who used to visit often"),
    INSIDER("insider knowledge and early access for the site's best customers");

    private final String benefit;

    Angle(String benefit) {
        this.benefit = benefit;
    }

    String benefit() {
        return benefit;
    }

    /** The angle for a segment: its own need where it has one, else its journey stage's. */
    static Angle forSegment(String segmentKey, String journeyStage) {
        return switch (segmentKey) {
            case "bargain-hunter" -> DEALS;
            case "power-user" -> ADVANCED;
            case "at-risk", "dormant", "lapsed-customer" -> WIN_BACK;
            case "vip", "loyal" -> INSIDER;
            case "window-shopper" -> BUYING_GUIDE;
            default -> forStage(journeyStage);
        };
    }

    /** Whether the segment has a need of its own, beyond its members' journey stage. */
    static boolean hasOwnNeed(String segmentKey) {
        return forSegment(segmentKey, "awareness") != forStage("awareness");
    }

    static Angle forStage(String journeyStage) {
        return switch (journeyStage) {
            case "consideration" -> COMPARISON;
            case "decision" -> BUYING_GUIDE;
            case "retention" -> HOW_TO;
            case "advocacy" -> COMMUNITY;
            default -> BEGINNER_GUIDE;
        };
    }
}

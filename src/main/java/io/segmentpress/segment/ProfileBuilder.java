package io.segmentpress.segment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.segmentpress.common.Json;
import io.segmentpress.common.PageCategories;
import io.segmentpress.segment.rule.EventFact;

/**
 * Folds one visitor's events, oldest first, into a {@link VisitorProfile}. Reading the events
 * once, in order, is what keeps a full recompute close to the cost of one scan of the event
 * table; nothing here touches the database.
 */
final class ProfileBuilder {

    static final long SESSION_GAP_MILLIS = 30L * 60 * 1000;
    private static final long DAY_MILLIS = 86_400_000L;
    private static final Set<String> DECISION_EVENTS = Set.of("Product Added", "Checkout Started", "Signed Up");
    private static final Set<String> ADVOCACY_EVENTS = Set.of("Product Reviewed", "Content Shared", "Product Shared",
            "Referral Sent", "Friend Referred");
    /** Engaged seconds beyond this per read add nothing more to an interest (a tab left open is not ten reads). */
    private static final int MAX_ENGAGED_SECONDS_PER_READ = 600;

    private record Read(long postId, long occurredAtMillis, long eventId, String properties, boolean ledBySearch) {
    }

    private static final class Engagement {
        long seconds;
        int maxScroll = -1;
    }

    private final long visitorId;
    private final SiteTime time;
    private final SegmentSettings settings;
    private final boolean keepFacts;

    private long firstSeen = Long.MAX_VALUE;
    private long lastSeen = Long.MIN_VALUE;
    private int sessions;
    private int pageViews;
    private long lastDay = Long.MIN_VALUE;
    private int activeDays30;
    private int activeDaysPrevious30;
    private long engagedSeconds;
    private long scrollSum;
    private int scrollCount;
    private final OrderLedger ledger = new OrderLedger();
    private int cartAddsInWindow;
    private String lastDecisionEvent;
    private long lastDecisionMillis = Long.MIN_VALUE;
    private String lastAdvocacyEvent;
    private long lastAdvocacyMillis = Long.MIN_VALUE;
    private String considerationSignal;
    private boolean searchPending;
    private final List<Read> reads = new ArrayList<>();
    /** Every event with a post id (any type), as the recommendation read history counts them. */
    private long[] itemEvents = new long[16];
    private int itemEventCount;
    private Map<Long, Engagement> engagementByPost;
    private List<EventFact> facts;
    private Map<String, Object> traits;

    ProfileBuilder(long visitorId, SiteTime time, SegmentSettings settings, boolean keepFacts) {
        this.visitorId = visitorId;
        this.time = time;
        this.settings = settings;
        this.keepFacts = keepFacts;
        if (keepFacts) {
            facts = new ArrayList<>();
            traits = new LinkedHashMap<>();
        }
    }

    long visitorId() {
        return visitorId;
    }

    /** Takes the visitor's next event; events must come oldest first. */
    void accept(EventRow event) {
        long at = event.occurredAtMillis();
        if (at - lastSeen > SESSION_GAP_MILLIS || lastSeen == Long.MIN_VALUE) {
            sessions++;
            searchPending = false;
        }
        firstSeen = Math.min(firstSeen, at);
        lastSeen = Math.max(lastSeen, at);
        countActiveDay(time.day(at));

        if (event.postId() != null) {
            if (itemEventCount == itemEvents.length) {
                itemEvents = java.util.Arrays.copyOf(itemEvents, itemEventCount * 2);
            }
            itemEvents[itemEventCount++] = event.postId();
            itemEvents[itemEventCount++] = at;
        }
        String name = event.name();
        if (event.isPage()) {
            pageViews++;
            if (event.postId() != null) {
                reads.add(new Read(event.postId(), at, event.id(), event.properties(), searchPending));
                searchPending = false;
            }
        } else if ("track".equals(event.type()) && name != null) {
            trackEvent(event, name, at);
        }
        if (keepFacts) {
            keepFact(event);
        }
    }

    private void trackEvent(EventRow event, String name, long at) {
        switch (name) {
            case "Content Engaged" -> {
                if (event.engagedSeconds() != null && event.engagedSeconds() > 0) {
                    engagedSeconds += event.engagedSeconds();
                }
                if (event.scrollDepth() != null) {
                    scrollSum += event.scrollDepth();
                    scrollCount++;
                }
                if (event.postId() != null) {
                    if (engagementByPost == null) {
                        engagementByPost = new HashMap<>();
                    }
                    Engagement engagement = engagementByPost.computeIfAbsent(event.postId(), id -> new Engagement());
                    engagement.seconds += event.engagedSeconds() == null ? 0 : Math.max(0, event.engagedSeconds());
                    engagement.maxScroll = Math.max(engagement.maxScroll, event.scrollDepth() == null ? -1 : event.scrollDepth());
                }
            }
            case "Products Searched" -> {
                searchPending = true;
                considerationSignal = considerationSignal == null ? "searched products" : considerationSignal;
            }
            case "Product Viewed" -> considerationSignal = considerationSignal == null ? "viewed a product" : considerationSignal;
            case OrderLedger.ORDER_COMPLETED, OrderLedger.ORDER_REFUNDED -> ledger.accept(event);
            default -> {
            }
        }
        if ("Product Added".equals(name) && time.within(at, settings.get(Threshold.WINDOW_SHOPPER_WINDOW_DAYS))) {
            cartAddsInWindow++;
        }
        if (DECISION_EVENTS.contains(name)) {
            lastDecisionEvent = name;
            lastDecisionMillis = at;
        }
        if (ADVOCACY_EVENTS.contains(name)) {
            lastAdvocacyEvent = name;
            lastAdvocacyMillis = at;
        }
    }

    private void countActiveDay(long day) {
        if (day == lastDay) {
            return;
        }
        lastDay = Math.max(lastDay, day);
        long age = time.today() - day;
        if (age >= 0 && age < 30) {
            activeDays30++;
        } else if (age >= 30 && age < 60) {
            activeDaysPrevious30++;
        }
    }

    private void keepFact(EventRow event) {
        JsonNode properties = Json.readTree(event.properties());
        facts.add(new EventFact(event.type(), event.name(), Instant.ofEpochMilli(event.occurredAtMillis()), event.postId(),
                event.revenue(), event.engagedSeconds(), properties));
        if ("identify".equals(event.type()) && event.traits() != null) {
            JsonNode given = Json.readTree(event.traits());
            if (given != null && given.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> fields = given.fields(); fields.hasNext();) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    traits.put(field.getKey(), Json.MAPPER.convertValue(field.getValue(), Object.class));
                }
            }
        }
    }

    /** The posts this visitor read, so the caller can look up just their categories. */
    void collectPostIds(Set<Long> into) {
        for (Read read : reads) {
            into.add(read.postId());
        }
    }

    /**
     * Page views of posts that neither the catalog nor recorded page calls give categories for,
     * and whose properties were not read with the event: the caller fetches their properties so
     * the read's own {@code categories[]} can stand in.
     */
    void collectUncataloguedReads(Catalog catalog, Set<Long> eventIds) {
        for (Read read : reads) {
            if (read.properties() == null && catalog.categoriesOf(read.postId()) == null) {
                eventIds.add(read.eventId());
            }
        }
    }

    List<EventFact> facts() {
        return facts == null ? List.of() : facts;
    }

    Map<String, Object> traits() {
        return traits == null ? Map.of() : traits;
    }

    VisitorProfile build(String userId, Catalog catalog, Map<Long, String> fetchedProperties) {
        List<OrderLedger.Order> orders = ledger.orders();
        BigDecimal revenue = BigDecimal.ZERO;
        int discountedOrders = 0;
        for (OrderLedger.Order order : orders) {
            revenue = revenue.add(order.revenue());
            if (order.discounted()) {
                discountedOrders++;
            }
        }
        BigDecimal averageOrderValue = orders.isEmpty() ? null
                : revenue.divide(BigDecimal.valueOf(orders.size()), 2, RoundingMode.HALF_UP);
        BigDecimal averageScroll = scrollCount == 0 ? null
                : BigDecimal.valueOf(scrollSum).divide(BigDecimal.valueOf(scrollCount), 2, RoundingMode.HALF_UP);
        String consideration = considerationSignal;
        Map<String, VisitorProfile.InterestScore> interests = interests(catalog, fetchedProperties);
        if (consideration == null) {
            for (Read read : reads) {
                Catalog.Content content = catalog.find(read.postId());
                if (content != null && "consideration".equals(content.journeyStage())) {
                    consideration = "read consideration content";
                    break;
                }
            }
        }
        return new VisitorProfile(visitorId, userId, firstSeen, lastSeen, sessions, pageViews, activeDays30, activeDaysPrevious30,
                lastDay, engagedSeconds, averageScroll, orders, revenue.setScale(2, RoundingMode.HALF_UP), averageOrderValue,
                discountedOrders, cartAddsInWindow, lastDecisionEvent, lastDecisionMillis, lastAdvocacyEvent, lastAdvocacyMillis,
                consideration, interests, ReadHistory.of(itemEvents, itemEventCount));
    }

    /**
     * Category weights: each read weighs (1 + engaged minutes, capped at 10) × (0.25 + 0.75 × scroll
     * share; 0.5 when unknown), halved every half-life; a read that followed a product search in the
     * same session adds one more (decayed) unit to its categories. Shares are of the total weight of
     * categorized reads.
     */
    private Map<String, VisitorProfile.InterestScore> interests(Catalog catalog, Map<Long, String> fetchedProperties) {
        if (reads.isEmpty()) {
            return Map.of();
        }
        Map<Long, Integer> readsPerPost = new HashMap<>();
        for (Read read : reads) {
            readsPerPost.merge(read.postId(), 1, Integer::sum);
        }
        double halfLifeMillis = settings.get(Threshold.INTEREST_HALF_LIFE_DAYS) * (double) DAY_MILLIS;
        long nowMillis = time.now().toEpochMilli();
        Map<String, double[]> byCategory = new HashMap<>(); // slug -> {weight, reads}
        double total = 0;
        for (Read read : reads) {
            List<String> categories = categoriesOf(read, catalog, fetchedProperties);
            if (categories.isEmpty()) {
                continue;
            }
            double decay = Math.pow(0.5, Math.max(0, nowMillis - read.occurredAtMillis()) / halfLifeMillis);
            Engagement engagement = engagementByPost == null ? null : engagementByPost.get(read.postId());
            double engagedMinutes = 0;
            double scrollFactor = 0.5;
            if (engagement != null) {
                double perRead = (double) engagement.seconds / readsPerPost.get(read.postId());
                engagedMinutes = Math.min(perRead, MAX_ENGAGED_SECONDS_PER_READ) / 60.0;
                if (engagement.maxScroll >= 0) {
                    scrollFactor = 0.25 + 0.75 * Math.min(100, engagement.maxScroll) / 100.0;
                }
            }
            double weight = decay * (1 + engagedMinutes) * scrollFactor + (read.ledBySearch() ? decay : 0);
            total += weight;
            for (String category : categories) {
                double[] score = byCategory.computeIfAbsent(category, c -> new double[2]);
                score[0] += weight;
                score[1] += 1;
            }
        }
        if (total <= 0) {
            return Map.of();
        }
        Map<String, VisitorProfile.InterestScore> interests = new HashMap<>();
        for (Map.Entry<String, double[]> entry : byCategory.entrySet()) {
            double[] score = entry.getValue();
            interests.put(entry.getKey(), new VisitorProfile.InterestScore(score[0], score[0] / total, (int) score[1]));
        }
        return interests;
    }

    /**
     * The catalog's categories of the post; for a post the catalog does not categorize, the ones
     * page calls for it named most recently, and for a post read only before those were recorded,
     * the read's own page call's.
     */
    private static List<String> categoriesOf(Read read, Catalog catalog, Map<Long, String> fetchedProperties) {
        List<String> known = catalog.categoriesOf(read.postId());
        if (known != null) {
            return known;
        }
        return PageCategories.of(read.properties() != null ? read.properties() : fetchedProperties.get(read.eventId()));
    }
}

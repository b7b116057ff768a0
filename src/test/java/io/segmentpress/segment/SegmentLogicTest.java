package io.segmentpress.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.segmentpress.common.Json;
import io.segmentpress.common.error.ApiException;

/** The engine's pure parts: no database, no container. */
class SegmentLogicTest {

    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");
    private static final SiteTime UTC = SiteTime.of(NOW, ZoneId.of("UTC"));
    private long nextId = 1;

    private EventRow event(Instant at, String type, String name) {
        return new EventRow(nextId++, 1, at.toEpochMilli(), type, name, null, null, null, null, null, null, null, null, null);
    }

    private EventRow order(Instant at, String orderId, String revenue, String coupon, String discount) {
        return new EventRow(nextId++, 1, at.toEpochMilli(), "track", "Order Completed", null, orderId,
                revenue == null ? null : new BigDecimal(revenue), discount == null ? null : new BigDecimal(discount), coupon, null, null, null,
                null);
    }

    private EventRow refund(Instant at, String orderId, String total) {
        return new EventRow(nextId++, 1, at.toEpochMilli(), "track", "Order Refunded", null, orderId,
                total == null ? null : new BigDecimal(total), null, null, null, null, null, null);
    }

    private EventRow page(Instant at, long postId, String properties) {
        return new EventRow(nextId++, 1, at.toEpochMilli(), "page", null, postId, null, null, null, null, null, null, properties, null);
    }

    private EventRow engaged(Instant at, long postId, int seconds, int scroll) {
        return new EventRow(nextId++, 1, at.toEpochMilli(), "track", "Content Engaged", postId, null, null, null, null, seconds, scroll, null,
                null);
    }

    private static Instant daysAgo(double days) {
        return NOW.minus(Duration.ofMinutes(Math.round(days * 1440)));
    }

    @Test
    void fullRefundsRemoveOrdersPartialRefundsDoNot() {
        OrderLedger ledger = new OrderLedger();
        ledger.accept(order(daysAgo(10), "a", "100.00", null, null));
        ledger.accept(order(daysAgo(9), "b", "50.00", null, null));
        ledger.accept(order(daysAgo(8), "c", "70.00", null, null));
        ledger.accept(order(daysAgo(8), "c", "70.00", null, null)); // the same order sent twice
        ledger.accept(refund(daysAgo(5), "a", "100.00"));
        ledger.accept(refund(daysAgo(5), "b", "20.00"));
        ledger.accept(refund(daysAgo(4), "d", null));
        List<OrderLedger.Order> orders = ledger.orders();
        assertEquals(2, orders.size());
        assertEquals(new BigDecimal("50.00"), orders.get(0).revenue());

        OrderLedger withoutTotal = new OrderLedger();
        withoutTotal.accept(order(daysAgo(3), "x", "10.00", null, null));
        withoutTotal.accept(refund(daysAgo(2), "x", null));
        assertTrue(withoutTotal.orders().isEmpty(), "a refund without a total is a full refund");
    }

    @Test
    void sessionsSplitAfterThirtyQuietMinutesAndDaysCountInTheSiteZone() {
        SiteTime tokyo = SiteTime.of(NOW, ZoneId.of("Asia/Tokyo"));
        ProfileBuilder builder = new ProfileBuilder(1, tokyo, SegmentSettings.defaults(), false);
        Instant start = Instant.parse("2026-06-10T14:00:00Z"); // 23:00 in Tokyo
        builder.accept(event(start, "page", null));
        builder.accept(event(start.plus(Duration.ofMinutes(29)), "page", null)); // 23:29: same session
        builder.accept(event(start.plus(Duration.ofMinutes(70)), "page", null)); // 00:10 next day: new session, new day
        VisitorProfile profile = builder.build(null, Catalog.EMPTY, Map.of());
        assertEquals(2, profile.sessions());
        assertEquals(2, profile.activeDays30());
        assertEquals(3, profile.pageViews());

        ProfileBuilder inUtc = new ProfileBuilder(1, UTC, SegmentSettings.defaults(), false);
        inUtc.accept(event(start, "page", null));
        inUtc.accept(event(start.plus(Duration.ofMinutes(70)), "page", null));
        assertEquals(1, inUtc.build(null, Catalog.EMPTY, Map.of()).activeDays30(), "both fall on June 10 in UTC");
    }

    @Test
    void interestsWeighEngagementDecayAndSearchesAndFallBackToPageCategories() {
        Catalog catalog = new Catalog(Map.of(1L, new Catalog.Content(List.of("recipes"), null), 2L,
                new Catalog.Content(List.of("travel"), null)), Map.of());
        ProfileBuilder builder = new ProfileBuilder(1, UTC, SegmentSettings.defaults(), false);
        // three engaged recipe reads today, one skimmed travel read, one uncatalogued post read from the page's categories
        for (int i = 0; i < 3; i++) {
            builder.accept(page(daysAgo(3 - i), 1, null));
            builder.accept(engaged(daysAgo(3 - i - 0.001), 1, 300, 100));
        }
        builder.accept(page(daysAgo(0.5), 2, null));
        builder.accept(page(daysAgo(0.4), 99, "{\"categories\":[\"garden\", {\"slug\": \"tools\"}]}"));
        VisitorProfile profile = builder.build(null, catalog, Map.of());
        Map<String, VisitorProfile.InterestScore> interests = profile.interests();
        assertEquals(3, interests.get("recipes").reads());
        assertTrue(interests.get("recipes").share() > 0.8, "engaged reads weigh more: " + interests);
        assertEquals(1, interests.get("garden").reads());
        assertEquals(interests.get("garden").share(), interests.get("tools").share(), 1e-9);

        ProfileBuilder fresh = new ProfileBuilder(1, UTC, SegmentSettings.defaults(), false);
        fresh.accept(page(daysAgo(60), 1, null)); // two half-lives ago
        fresh.accept(page(daysAgo(0), 2, null));
        Map<String, VisitorProfile.InterestScore> decayed = fresh.build(null, catalog, Map.of()).interests();
        assertEquals(0.2, decayed.get("recipes").share(), 0.001, "a read 60 days old weighs a quarter of today's");

        ProfileBuilder searched = new ProfileBuilder(1, UTC, SegmentSettings.defaults(), false);
        searched.accept(page(daysAgo(1), 1, null));
        searched.accept(event(daysAgo(0.01), "track", "Products Searched"));
        searched.accept(page(daysAgo(0.009), 2, null));
        Map<String, VisitorProfile.InterestScore> afterSearch = searched.build(null, catalog, Map.of()).interests();
        assertTrue(afterSearch.get("travel").share() > 0.6, "the read a search led to counts more: " + afterSearch);
    }

    @Test
    void aPostTheCatalogDoesNotCategorizeTakesTheCategoriesItsPageCallsNamedLast() {
        // post 1 is catalogued; the catalog does not know post 7; post 8 has no recorded categories
        Catalog catalog = new Catalog(Map.of(1L, new Catalog.Content(List.of("recipes"), null)),
                Map.of(1L, List.of("ignored"), 7L, List.of("garden", "tools")));
        ProfileBuilder builder = new ProfileBuilder(1, UTC, SegmentSettings.defaults(), false);
        builder.accept(page(daysAgo(3), 1, null));
        builder.accept(page(daysAgo(2), 7, "{\"categories\":[\"old-name\"]}")); // the read's own page call, superseded
        builder.accept(page(daysAgo(1), 7, null));
        long readOf8 = nextId;
        builder.accept(page(daysAgo(0.5), 8, null));
        Set<Long> toFetch = new HashSet<>();
        builder.collectUncataloguedReads(catalog, toFetch);
        assertEquals(Set.of(readOf8), toFetch, "only the read of post 8 needs its properties");

        Map<String, VisitorProfile.InterestScore> interests = builder.build(null, catalog,
                Map.of(readOf8, "{\"categories\":[\"music\"]}")).interests();
        assertEquals(Set.of("recipes", "garden", "tools", "music"), interests.keySet(), "the catalog wins over recorded categories");
        assertEquals(2, interests.get("garden").reads());
        assertEquals(1, interests.get("music").reads());
    }

    @Test
    void rfmRanksCustomersIntoQuintilesAndNamesTheCell() {
        List<SiteStats.Customer> customers = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            customers.add(new SiteStats.Customer(i, UTC.today() - i * 10, 1 + i / 5, BigDecimal.valueOf(10 * (i + 1)), BigDecimal.TEN));
        }
        SiteStats stats = SiteStats.of(customers);
        SiteStats.Rfm best = stats.rfm(UTC.today(), UTC.today(), 5, BigDecimal.valueOf(250));
        assertEquals(5, best.recency());
        assertEquals(5, best.frequency());
        assertEquals(5, best.monetary());
        assertEquals("Champions", best.cell());
        SiteStats.Rfm worst = stats.rfm(UTC.today() - 240, UTC.today(), 1, BigDecimal.TEN);
        assertEquals(1, worst.recency());
        assertEquals("Lost", worst.cell());

        SiteStats few = SiteStats.of(customers.subList(0, 19));
        SiteStats.Rfm none = few.rfm(UTC.today(), UTC.today(), 1, BigDecimal.TEN);
        assertNull(none.recency());
        assertEquals("not scored: the site has 19 customers, RFM quintiles need at least 20", none.evidence());

        assertEquals("Can't Lose Them", SiteStats.cell(1, 5));
        assertEquals("At Risk", SiteStats.cell(2, 3));
        assertEquals("About To Sleep", SiteStats.cell(3, 2));
        assertEquals("Need Attention", SiteStats.cell(3, 3));
        assertEquals("Promising", SiteStats.cell(4, 1));
        assertEquals("New Customers", SiteStats.cell(5, 1));
        assertEquals("Potential Loyalist", SiteStats.cell(5, 3));
        assertEquals("Loyal Customers", SiteStats.cell(4, 4));
    }

    @Test
    void aovPercentileUsesNearestRank() {
        List<SiteStats.Customer> customers = new ArrayList<>();
        for (String aov : List.of("30", "40", "50", "200")) {
            customers.add(new SiteStats.Customer(1, 0, 1, new BigDecimal(aov), new BigDecimal(aov)));
        }
        assertEquals(new BigDecimal("50.00"), SiteStats.of(customers).averageOrderValuePercentile(75));
        assertNull(SiteStats.of(List.of()).averageOrderValuePercentile(75));
    }

    @Test
    void csvQuotesSpecialCellsAndDefusesFormulas() {
        assertEquals("plain", Csv.cell("plain"));
        assertEquals("\"a,b\"", Csv.cell("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Csv.cell("say \"hi\""));
        assertEquals("'=1+1", Csv.cell("=1+1"));
        assertEquals("'+49 170", Csv.cell("+49 170"));
        assertEquals("'-2", Csv.cell("-2"));
        assertEquals("'@SUM(A1)", Csv.cell("@SUM(A1)"));
        assertEquals("\"'=A1,B1\"", Csv.cell("=A1,B1"));
        assertEquals("\"line\nbreak\"", Csv.cell("line\nbreak"));
        assertEquals("a,,b\r\n", Csv.row("a", null, "b"));
    }

    @Test
    void settingsPatchesMergeAndRefuseUnknownOrOutOfRangeFields() {
        String stored = SegmentSettings.applyPatch(null, Json.readTree("{\"segments\":{\"vip\":{\"minOrders\":4}}}"));
        assertEquals(4, SegmentSettings.fromSiteSettings(stored).get(Threshold.VIP_MIN_ORDERS));
        String merged = SegmentSettings.applyPatch(stored, Json.readTree("{\"segments\":{\"dormant\":{\"inactiveDays\":90}}}"));
        SegmentSettings settings = SegmentSettings.fromSiteSettings(merged);
        assertEquals(4, settings.get(Threshold.VIP_MIN_ORDERS));
        assertEquals(90, settings.get(Threshold.DORMANT_INACTIVE_DAYS));
        assertEquals(2, settings.get(Threshold.LOYAL_MIN_ORDERS));
        assertNull(SegmentSettings.applyPatch(merged,
                Json.readTree("{\"segments\":{\"vip\":{\"minOrders\":null},\"dormant\":{\"inactiveDays\":null}}}")));

        ApiException unknown = assertThrows(ApiException.class,
                () -> SegmentSettings.applyPatch(null, Json.readTree("{\"segments\":{\"vip\":{\"minOrderz\":4}},\"colors\":{}}")));
        assertEquals(List.of("segments.vip.minOrderz", "colors"),
                unknown.toProblem().errors().stream().map(io.segmentpress.common.error.FieldError::field).toList());
        ApiException range = assertThrows(ApiException.class,
                () -> SegmentSettings.applyPatch(null, Json.readTree("{\"segments\":{\"interest\":{\"minSharePercent\":101}}}")));
        assertEquals("segments.interest.minSharePercent", range.toProblem().errors().get(0).field());
        assertThrows(ApiException.class, () -> SegmentSettings.applyPatch(null, Json.readTree("{\"segments\":{\"vip\":{\"minOrders\":2.5}}}")));
    }

    @Test
    void evaluatorAppliesOverriddenThresholds() {
        String stored = SegmentSettings.applyPatch(null, Json.readTree("{\"segments\":{\"powerUser\":{\"minActiveDays\":3},\"regular\":{\"minActiveDays\":2}}}"));
        ProfileBuilder builder = new ProfileBuilder(1, UTC, SegmentSettings.fromSiteSettings(stored), false);
        for (int day = 3; day >= 1; day--) {
            builder.accept(event(daysAgo(day), "page", null));
        }
        VisitorProfile profile = builder.build(null, Catalog.EMPTY, Map.of());
        SegmentEvaluator evaluator = new SegmentEvaluator(SegmentSettings.fromSiteSettings(stored), UTC, SiteStats.of(List.of()));
        assertEquals(List.of("power-user", "stage:consideration"),
                evaluator.evaluate(profile).memberships().stream().map(SegmentEvaluator.Membership::key).toList());
    }
}

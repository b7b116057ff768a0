package io.segmentpress.segment;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.segmentpress.common.time.AppClock;
import io.segmentpress.segment.SegmentFixtures.History;
import io.segmentpress.segment.SegmentFixtures.Site;

/**
 * Nine visitors whose segments segments.md decides unambiguously, sent through the public API
 * with historical timestamps.
 */
final class Cohort {

    final History vip;
    final History bargainHunter;
    final History windowShopper;
    final History oneTimeBuyer;
    final History lapsedCustomer;
    final History powerReader;
    final History atRiskReader;
    final History newcomer;
    final History productBrowser;

    /**
     * A cohort on the test clock whose newest events cannot straddle midnight UTC (the test sites'
     * time zone): the newest histories are minutes old, so a cohort built just after midnight would
     * be active on two days where the definitions expect one. In the first hour of a day the clock
     * is moved an hour on; in the last ten minutes it is moved two hours on, so that a test counting
     * today's entries and exits does not see the day end under it. Callers put it back after the test.
     */
    static Cohort at(AppClock clock) {
        LocalTime time = LocalTime.ofInstant(clock.now(), ZoneOffset.UTC);
        if (time.isBefore(LocalTime.of(1, 0))) {
            clock.advance(Duration.ofHours(1));
        } else if (!time.isBefore(LocalTime.of(23, 50))) {
            clock.advance(Duration.ofHours(2));
        }
        return new Cohort(clock.now());
    }

    Cohort(Instant now) {
        vip = new History(now).order(100, "vip-1", 200, null, 0).order(70, "vip-2", 200, null, 0).order(40, "vip-3", 200, null, 0)
                .order(10, "vip-4", 200, null, 0);
        bargainHunter = new History(now).order(150, "bh-1", 30, "SAVE10", 0).order(70, "bh-2", 30, null, 5);
        windowShopper = new History(now).track(5, "Product Viewed", Map.of("product_id", "301"))
                .track(5 - 0.001, "Product Added", Map.of("product_id", "301")).track(3, "Product Added", Map.of("product_id", "302"))
                .track(1, "Product Added", Map.of("product_id", "303"));
        // a second order was refunded in full: it does not count
        oneTimeBuyer = new History(now).order(40, "otb-1", 50, null, 0).order(39, "otb-2", 80, null, 0)
                .track(38, "Order Refunded", Map.of("order_id", "otb-2", "total", 80));
        lapsedCustomer = new History(now).order(300, "lc-1", 40, null, 0).order(250, "lc-2", 40, null, 0);
        powerReader = new History(now);
        for (int day = 1; day <= 10; day++) {
            powerReader.read(day, 100 + day, 120, 90);
        }
        atRiskReader = new History(now);
        for (int day = 35; day <= 40; day++) {
            atRiskReader.read(day, 200 + day - 34, 60, 80);
        }
        newcomer = new History(now).page(0.01, 101);
        productBrowser = new History(now).track(0.02, "Products Searched", Map.of("query", "pan")).page(0.019, 301)
                .track(0.018, "Product Viewed", Map.of("product_id", "301"));
    }

    List<History> all() {
        return List.of(vip, bargainHunter, windowShopper, oneTimeBuyer, lapsedCustomer, powerReader, atRiskReader, newcomer, productBrowser);
    }

    /** Stores the catalog the cohort reads from and sends every visitor's events. */
    void sendTo(Site site) {
        for (long post = 101; post <= 110; post++) {
            site.content(post, "post", "recipes", null);
        }
        for (long post = 201; post <= 206; post++) {
            site.content(post, "post", "gardening", null);
        }
        site.content(301, "product", "kitchen", "consideration");
        List<Map<String, Object>> events = new ArrayList<>();
        all().forEach(history -> events.addAll(history.events));
        site.send(events);
    }
}

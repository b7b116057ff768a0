package io.segmentpress.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.segment.SegmentFixtures.History;
import io.segmentpress.segment.SegmentFixtures.Site;

/** The customer distribution a drain keeps in memory always equals what a fresh read of visitor_profile gives. */
@QuarkusTest
class CustomerCacheTest {

    @Inject
    SegmentEngine engine;

    @Inject
    AppClock clock;

    @Inject
    DataSource dataSource;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void cachedCustomersEqualAFreshReadAfterDrainsErasesMergesAndFullRecomputes() throws SQLException {
        Site site = SegmentFixtures.createSite();
        Cohort cohort = Cohort.at(clock);
        cohort.sendTo(site);
        engine.drainDirty();
        assertCacheMatchesTable(site);

        // a new order for a customer and a first one for a reader
        cohort.vip.events.clear();
        cohort.vip.order(1, "vip-5", 500, null, 0);
        cohort.powerReader.events.clear();
        cohort.powerReader.order(0.5, "pr-1", 20, "WELCOME", 0);
        site.send(cohort.vip.events);
        site.send(cohort.powerReader.events);
        engine.drainDirty();
        assertCacheMatchesTable(site);

        // an erasure writes visitor_profile behind the engine's back: the next drain must not rank against the erased customer
        long erased = visitorId(site, cohort.lapsedCustomer);
        site.asSecret().delete("/v1/visitors/" + erased).then().statusCode(200);
        cohort.oneTimeBuyer.events.clear();
        cohort.oneTimeBuyer.page(0.1, 101);
        site.send(cohort.oneTimeBuyer.events);
        engine.drainDirty();
        assertCacheMatchesTable(site);
        assertEquals("not scored: the site has 4 customers, RFM quintiles need at least 20",
                new SegmentDb(dataSource).profile(site.id(), cohort.oneTimeBuyer.anonymousId).get("rfm_evidence"),
                "vip, bargain hunter, one-time buyer and the reader's first order; the erased lapsed customer is gone");

        // a merge: the bargain hunter's second device identifies as the one-time buyer's user
        cohort.oneTimeBuyer.events.clear();
        cohort.oneTimeBuyer.identify(0.05, "user-cache-1", Map.of());
        cohort.bargainHunter.events.clear();
        cohort.bargainHunter.identify(0.04, "user-cache-1", Map.of());
        site.send(cohort.oneTimeBuyer.events);
        engine.drainDirty();
        site.send(cohort.bargainHunter.events);
        engine.drainDirty();
        assertCacheMatchesTable(site);
        assertEquals(3, new SegmentDb(dataSource).count("SELECT COUNT(*) FROM visitor_profile WHERE site_id = ? AND orders > 0", site.id()));

        engine.recomputeSite(site.id());
        assertCacheMatchesTable(site);
        cohort.windowShopper.events.clear();
        cohort.windowShopper.order(0.01, "ws-1", 70, null, 0);
        site.send(cohort.windowShopper.events);
        engine.drainDirty();
        assertCacheMatchesTable(site);
    }

    private void assertCacheMatchesTable(Site site) throws SQLException {
        CustomerCache.Snapshot cached = engine.cachedCustomers(site.id());
        assertNotNull(cached, "the engine keeps the site's customers after a recompute");
        try (Connection connection = dataSource.getConnection()) {
            SiteTime time = SiteTime.of(clock.now(), java.time.ZoneId.of("UTC"));
            assertEquals(ProfileVersion.current(connection, site.id()), cached.version());
            assertEquals(normalized(SegmentStore.storedCustomers(connection, site.id(), time)), normalized(cached.customers()));
        }
    }

    private static Map<Long, String> normalized(Map<Long, SiteStats.Customer> customers) {
        Map<Long, String> byVisitor = new TreeMap<>();
        customers.forEach((visitorId, customer) -> byVisitor.put(visitorId, customer.visitorId() + " day " + customer.lastOrderDay()
                + ", " + customer.orders() + " orders, " + customer.revenue().stripTrailingZeros().toPlainString() + " revenue, AOV "
                + customer.averageOrderValue().stripTrailingZeros().toPlainString()));
        return byVisitor;
    }

    private long visitorId(Site site, History visitor) {
        return new SegmentDb(dataSource).count("SELECT visitor_id FROM visitor_identity WHERE site_id = ? AND kind = 'anon' AND external_id = ?",
                site.id(), visitor.anonymousId);
    }
}

package io.segmentpress.segment;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The customers of recently recomputed sites (what RFM scores and the VIP percentile rank
 * against), kept in memory so that a drain of a few visitors does not read every customer row of
 * the site each round. An entry is used only while the site's {@link ProfileVersion} is still the
 * one it was taken at: a write by another replica, or an erasure, makes the next drain read the
 * rows afresh. Callers hold the site's lock, so one site's entry is used by one thread at a time.
 */
final class CustomerCache {

    /** The stored customers of a site as of {@code version}, by visitor id; {@code lastOrderDay} is in {@code zone}. */
    record Snapshot(long version, ZoneId zone, Map<Long, SiteStats.Customer> customers) {
    }

    private final int maxSites;
    private final Map<Long, Snapshot> sites;

    CustomerCache(int maxSites) {
        this.maxSites = Math.max(0, maxSites);
        this.sites = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Snapshot> eldest) {
                return size() > CustomerCache.this.maxSites;
            }
        };
    }

    /**
     * Takes the site's customers out of the cache when they are current, else reads them; give
     * them back with {@link #put} once the caller's writes are done (an entry taken and not
     * given back is simply read again next time).
     */
    Snapshot take(Connection connection, long siteId, SiteTime time) throws SQLException {
        long version = ProfileVersion.current(connection, siteId);
        Snapshot cached;
        synchronized (sites) {
            cached = sites.remove(siteId);
        }
        if (cached != null && cached.version() == version && cached.zone().equals(time.zone())) {
            return cached;
        }
        Map<Long, SiteStats.Customer> customers = SegmentStore.storedCustomers(connection, siteId, time);
        // read after the version: a write in between leaves the snapshot older than its rows, and the next bump tells
        return new Snapshot(version, time.zone(), customers);
    }

    /** Keeps the site's customers as they are stored at {@code version}. */
    void put(long siteId, long version, ZoneId zone, Map<Long, SiteStats.Customer> customers) {
        if (maxSites == 0) {
            return;
        }
        synchronized (sites) {
            sites.put(siteId, new Snapshot(version, zone, customers));
        }
    }

    /** What is kept for the site, or null (for tests). */
    Snapshot peek(long siteId) {
        synchronized (sites) {
            return sites.get(siteId);
        }
    }

    /** The customers of {@code snapshot} after {@code recomputed} visitors were rewritten as {@code customers}. */
    static void replace(Map<Long, SiteStats.Customer> stored, Collection<Long> recomputed, Collection<SiteStats.Customer> customers) {
        recomputed.forEach(stored::remove);
        customers.forEach(customer -> stored.put(customer.visitorId(), customer));
    }
}

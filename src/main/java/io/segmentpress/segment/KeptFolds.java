package io.segmentpress.segment;

import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The folds of recently drained visitors, kept in memory between drains so that the next drain
 * of a visitor reads only its recent events, not the whole history again. A kept fold is a
 * {@link ProfileBuilder} that took every event of the visitor that happened before a settling
 * point a little before the drain that kept it ({@link Settled#before()}); the events from that
 * point on, which may still arrive out of order, are read again by the next drain.
 *
 * <p>A fold is taken up again only when it is still the visitor's fold of today: the same
 * calendar day in the same zone (the builder counts active days and cart adds as of a day) and
 * the same site settings. The drain then checks it against the events themselves (see
 * {@code SegmentEngine}): the fold's event count plus the events after its newest one must be the
 * visitor's event count, or anything else (a late event, one moved in by a merge, one deleted) sends
 * the visitor back to a full read.
 *
 * <p>The folds of a process are bounded by the events they hold. When the bound is reached, folds
 * of a past day are dropped, and if that is not enough, a newly drained visitor's fold is not
 * kept: drains visit a busy site's visitors in turn, so keeping a stable part of them is worth
 * more than keeping the latest (which would be gone again before their next turn).
 */
final class KeptFolds {

    /** A fold of every event that happened before {@code before} (epoch ms). */
    record Settled(ProfileBuilder builder, long before) {
    }

    /** A visitor's fold as the last drain left it. */
    private record Fold(long siteId, Settled settled, long day, String zone, String settings) {
    }

    private final long maxEvents;
    private final LinkedHashMap<Long, Fold> folds = new LinkedHashMap<>(256);
    private long events;

    /** {@code maxEvents}: how many events the kept folds may hold in all (0 keeps none). */
    KeptFolds(long maxEvents) {
        this.maxEvents = maxEvents;
    }

    boolean enabled() {
        return maxEvents > 0;
    }

    /**
     * Removes the folds of these visitors and returns those that are still good for a drain of
     * this site on this day under these settings; the others are dropped.
     */
    synchronized Map<Long, Settled> take(long siteId, Collection<Long> visitorIds, SiteTime time, String settings) {
        Map<Long, Settled> taken = new HashMap<>();
        String zone = time.zone().getId();
        for (Long visitorId : visitorIds) {
            Fold fold = folds.remove(visitorId);
            if (fold == null) {
                continue;
            }
            events -= fold.settled().builder().events();
            if (fold.siteId() == siteId && fold.day() == time.today() && fold.zone().equals(zone)
                    && Objects.equals(fold.settings(), settings)) {
                taken.put(visitorId, fold.settled());
            }
        }
        return taken;
    }

    /** Keeps the folds a drain of this site has just written, as far as the bound allows. */
    synchronized void keep(long siteId, Collection<Settled> settled, SiteTime time, String settings) {
        if (maxEvents <= 0) {
            return;
        }
        String zone = time.zone().getId();
        boolean swept = false;
        for (Settled fold : settled) {
            ProfileBuilder builder = fold.builder();
            Fold previous = folds.remove(builder.visitorId());
            if (previous != null) {
                events -= previous.settled().builder().events();
            }
            if (events + builder.events() > maxEvents && !swept) {
                dropPastDays(siteId, time.today());
                swept = true;
            }
            if (events + builder.events() <= maxEvents) {
                folds.put(builder.visitorId(), new Fold(siteId, fold, time.today(), zone, settings));
                events += builder.events();
            }
        }
    }

    /** Drops the folds of a past day: of this site before {@code today}, of other sites (other zones) before yesterday. */
    private void dropPastDays(long siteId, long today) {
        Iterator<Fold> all = folds.values().iterator();
        while (all.hasNext()) {
            Fold fold = all.next();
            if (fold.siteId() == siteId ? fold.day() != today : fold.day() < today - 1) {
                events -= fold.settled().builder().events();
                all.remove();
            }
        }
    }

    /** Drops every fold of a site. */
    synchronized void forgetSite(long siteId) {
        Iterator<Fold> all = folds.values().iterator();
        while (all.hasNext()) {
            Fold fold = all.next();
            if (fold.siteId() == siteId) {
                events -= fold.settled().builder().events();
                all.remove();
            }
        }
    }

    synchronized int size() {
        return folds.size();
    }

    synchronized long events() {
        return events;
    }
}

package io.segmentpress.brief;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.segmentpress.common.ClusterLock;
import io.segmentpress.site.Site;

/** Generates briefs for every site on the configured cron, once per cluster. */
@ApplicationScoped
public class BriefSchedule {

    private static final Logger LOG = Logger.getLogger(BriefSchedule.class);
    static final String CLUSTER_LOCK = "segmentpress-briefs-generate";

    @Inject
    BriefService briefs;

    @Inject
    ClusterLock locks;

    @Scheduled(identity = "briefs-generate", cron = "{segmentpress.briefs.generate-cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void generateForAllSites() {
        // Another replica holding the lock is already doing this run: skip rather than wait.
        locks.tryAcquire(CLUSTER_LOCK, Duration.ZERO).ifPresentOrElse(held -> {
            try (held) {
                runAll();
            }
        }, () -> LOG.debug("Brief generation is running on another replica"));
    }

    /** One generation per site; a failing site is logged and does not stop the others. */
    void runAll() {
        List<Long> siteIds = Site.<Site>listAll().stream().map(s -> s.id).toList();
        for (long siteId : siteIds) {
            try {
                briefs.generate(siteId, null);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Brief generation failed for site %d", siteId);
            }
        }
    }
}

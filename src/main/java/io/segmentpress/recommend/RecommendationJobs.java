package io.segmentpress.recommend;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;

/** Per-replica upkeep: each replica keeps its own in-memory models and its own counts of served lists. */
@ApplicationScoped
class RecommendationJobs {

    @Inject
    SiteModelStore models;

    @Inject
    ServedLog servedLog;

    @Scheduled(every = "{segmentpress.recommend.catalog-poll}", concurrentExecution = ConcurrentExecution.SKIP, identity = "recommend-models")
    void maintainModels() {
        models.maintain();
    }

    @Scheduled(every = "1s", concurrentExecution = ConcurrentExecution.SKIP, identity = "recommend-served-log")
    void flushServedLog() {
        servedLog.flush();
    }
}

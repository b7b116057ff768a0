package io.segmentpress.common;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduler;

/**
 * Pauses every scheduled job as soon as the service begins to shut down, before the other
 * shutdown observers (the ingest writers finishing their groups, the served-list log's last
 * flush) and before the connection pool closes: a job that started later would find the pool
 * closed and fail with an error in the log.
 */
@ApplicationScoped
public class ScheduledJobsShutdown {

    @Inject
    Scheduler scheduler;

    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        scheduler.pause();
    }
}

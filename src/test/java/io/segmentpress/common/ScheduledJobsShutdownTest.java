package io.segmentpress.common;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ScheduledJobsShutdownTest {

    @Inject
    ScheduledJobsShutdown shutdown;

    @Inject
    Scheduler scheduler;

    @Test
    void shuttingDownPausesEveryScheduledJob() {
        assertTrue(scheduler.isRunning(), "jobs run while the service runs");
        try {
            shutdown.onShutdown(new ShutdownEvent());
            assertFalse(scheduler.isRunning(), "no job starts once shutdown has begun");
        } finally {
            scheduler.resume();
        }
    }
}

package io.segmentpress.common;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ClusterLockTest {

    @Inject
    ClusterLock lock;

    @Test
    void aHeldLockIsRefusedToOthersUntilReleased() {
        String name = "test-" + UUID.randomUUID();
        Optional<ClusterLock.Held> first = lock.tryAcquire(name, Duration.ZERO);
        assertTrue(first.isPresent());
        // a second holder is a second connection, exactly like another replica
        assertTrue(lock.tryAcquire(name, Duration.ZERO).isEmpty());
        first.get().close();
        Optional<ClusterLock.Held> again = lock.tryAcquire(name, Duration.ZERO);
        assertTrue(again.isPresent());
        again.get().close();
    }
}

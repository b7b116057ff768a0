package io.segmentpress.common.time;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.segmentpress.common.ServiceConfig;

/**
 * The service's notion of "now". Every time window (segments, retention, idempotency, the
 * 400-day backfill limit) reads it here, so tests can move time forward; in production
 * {@code segmentpress.clock.adjustable} is false and the clock is the system clock.
 */
@ApplicationScoped
public class AppClock {

    private final boolean adjustable;
    private volatile Duration offset = Duration.ZERO;

    AppClock(ServiceConfig config) {
        this.adjustable = config.clock().adjustable();
    }

    public Instant now() {
        Instant system = Instant.now();
        return offset.isZero() ? system : system.plus(offset);
    }

    /** Moves the clock forward (tests only; refused unless the clock is adjustable). */
    public void advance(Duration by) {
        if (!adjustable) {
            throw new IllegalStateException("The clock is not adjustable in this configuration");
        }
        offset = offset.plus(by);
    }

    /** Puts the clock back to the system time. */
    public void reset() {
        offset = Duration.ZERO;
    }
}

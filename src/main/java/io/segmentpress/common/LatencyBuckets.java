package io.segmentpress.common;

import java.time.Duration;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/**
 * Publishes the HTTP server's request durations as cumulative buckets
 * ({@code http_server_requests_seconds_bucket{le=…}}) at fixed latency boundaries, so a dashboard
 * can compute any endpoint's p99 over any window (count, sum and a decaying max alone cannot) and
 * alert on the share of requests slower than a latency objective. A handful of fixed boundaries
 * rather than a full percentile histogram keeps the series per endpoint and status small.
 */
@Singleton
public class LatencyBuckets {

    static final String HTTP_SERVER_REQUESTS = "http.server.requests";
    static final Duration[] BOUNDARIES = { Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500) };
    private static final double[] BOUNDARY_NANOS = java.util.Arrays.stream(BOUNDARIES).mapToDouble(Duration::toNanos).toArray();

    @Produces
    @Singleton
    MeterFilter httpLatencyBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!HTTP_SERVER_REQUESTS.equals(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(BOUNDARY_NANOS).build().merge(config);
            }
        };
    }
}

package io.segmentpress.ingest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.segmentpress.common.error.ApiException;

/**
 * A token bucket per site and replica for ingestion requests, so one site's flood cannot starve
 * the others. Refused requests get 429 with Retry-After; senders pause and resend (nothing of a
 * refused request was stored). With several replicas the cluster-wide limit is the sum.
 */
@ApplicationScoped
public class IngestRateLimiter {

    private final ConcurrentMap<Long, Bucket> buckets = new ConcurrentHashMap<>();
    private final double perSecond;
    private final double burst;

    @Inject
    IngestRateLimiter(IngestConfig config) {
        this.perSecond = config.rateLimit().requestsPerSecond();
        this.burst = Math.max(1, config.rateLimit().burst());
    }

    /** Takes one request from the site's bucket, or refuses with 429. */
    public void acquire(long siteId) {
        if (perSecond <= 0) {
            return;
        }
        Bucket bucket = buckets.computeIfAbsent(siteId, id -> new Bucket(burst));
        double waitSeconds = bucket.take(perSecond, burst, System.nanoTime());
        if (waitSeconds > 0) {
            throw ApiException.tooManyRequests("This site is sending more than " + (long) perSecond
                    + " requests per second; retry after the time in Retry-After", (int) Math.ceil(waitSeconds));
        }
    }

    private static final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens) {
            this.tokens = tokens;
            this.refilledAt = System.nanoTime();
        }

        /** Zero when a token was taken, otherwise the seconds until one is available. */
        synchronized double take(double perSecond, double burst, long now) {
            tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * perSecond);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (1 - tokens) / perSecond;
        }
    }
}

package io.segmentpress.common;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.segmentpress.TestSites;
import io.segmentpress.TestSites.TestSite;

/** Request durations are published as cumulative latency buckets, per endpoint, for p99 dashboards and alerts. */
@QuarkusTest
class LatencyBucketsTest {

    private static final Pattern BATCH_COUNT = Pattern.compile(
            "(?m)^http_server_requests_seconds_count\\{(?=[^}]*uri=\"/v1/batch\")(?=[^}]*status=\"200\")[^}]*} (\\S+)$");

    @Test
    void batchRequestsAreCountedInEveryBucketTheirDurationFits() {
        TestSite site = TestSites.create();
        Map<Double, Double> before = buckets();
        double countBefore = count();
        int requests = 3;
        for (int i = 0; i < requests; i++) {
            site.sendBatch(List.of(Map.of("type", "track", "event", "Latency Probe", "anonymousId", TestSites.unique("anon"),
                    "messageId", TestSites.unique("msg")))).then().statusCode(200);
        }
        Map<Double, Double> after = buckets();
        assertEquals(requests, count() - countBefore, 1e-9);

        // the boundaries are the configured ones, in seconds, plus +Inf
        for (java.time.Duration boundary : LatencyBuckets.BOUNDARIES) {
            assertTrue(after.containsKey(boundary.toNanos() / 1e9), "a bucket at " + boundary + " in " + after.keySet());
        }
        assertTrue(after.containsKey(Double.POSITIVE_INFINITY), "the +Inf bucket");
        // cumulative: every request is in +Inf, and no bucket holds more than a wider one
        assertEquals(requests, after.get(Double.POSITIVE_INFINITY) - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0), 1e-9);
        double previous = 0;
        for (Map.Entry<Double, Double> bucket : after.entrySet()) {
            assertTrue(bucket.getValue() >= previous, "buckets are cumulative: " + after);
            previous = bucket.getValue();
        }
    }

    private static Map<Double, Double> buckets() {
        return PrometheusBuckets.of(metrics(), "/v1/batch", 200);
    }

    private static double count() {
        Matcher count = BATCH_COUNT.matcher(metrics());
        return count.find() ? Double.parseDouble(count.group(1)) : 0;
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}

package io.segmentpress.ingest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.segmentpress.TestSites;
import io.segmentpress.TestSites.TestSite;

@QuarkusTest
@TestProfile(IngestRateLimitTest.LowLimit.class)
class IngestRateLimitTest {

    /** A limit low enough to reach in a test: 1 request per second, bursts of 3. */
    public static class LowLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("segmentpress.ingest.rate-limit.requests-per-second", "1",
                    "segmentpress.ingest.rate-limit.burst", "3");
        }
    }

    @Test
    void floodIsRefusedWith429AndRetryAfterWhileOtherSitesGoOn() {
        TestSite flooding = TestSites.create();
        TestSite quiet = TestSites.create();
        List<Map<String, Object>> batch = List.of(Map.of("type", "track", "event", "X", "anonymousId", "rl-1"));
        Response refused = null;
        for (int i = 0; i < 10 && refused == null; i++) {
            Response response = flooding.sendBatch(batch);
            if (response.statusCode() == 429) {
                refused = response;
            } else {
                response.then().statusCode(200);
            }
        }
        if (refused == null) {
            throw new AssertionError("ten requests at once were never limited");
        }
        refused.then().contentType("application/problem+json").header("Retry-After", notNullValue()).body("status", equalTo(429));
        quiet.sendBatch(batch).then().statusCode(200);
    }
}

package io.segmentpress.ingest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.segmentpress.TestSites;
import io.segmentpress.TestSites.TestSite;
import io.segmentpress.segment.SegmentDb;
import io.segmentpress.segment.SegmentEngine;

/**
 * Concurrent requests share transactions (group commit) and still each get their own answer:
 * one writer thread makes every request that arrives while it is busy join the next group.
 */
@QuarkusTest
@TestProfile(IngestGroupCommitTest.OneWriter.class)
class IngestGroupCommitTest {

    public static class OneWriter implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("segmentpress.ingest.writers", "1");
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    SegmentEngine engine;

    private SegmentDb db;

    @BeforeEach
    void readDatabase() {
        db = new SegmentDb(dataSource);
    }

    /** One outcome of a request: which messageId, on which site, and what the answer said. */
    private record Answer(long siteId, String messageId, int accepted, int duplicates) {
    }

    @Test
    void concurrentRequestsShareCommitsAndEachLearnsItsOwnDuplicates() throws Exception {
        TestSite first = TestSites.create();
        TestSite second = TestSites.create();
        List<Callable<Answer>> calls = new ArrayList<>();
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < 120; i++) {
            TestSite site = i % 2 == 0 ? first : second;
            // every fourth request repeats an earlier one's messageId: a retry racing the original
            String messageId = i % 4 == 3 ? "gc-" + (i - 2) : "gc-" + i;
            distinct.add(site.id() + "/" + messageId);
            String anonymousId = "gc-visitor-" + (i % 7);
            String body = """
                    {"event":"Product Viewed","anonymousId":"%s","messageId":"%s","properties":{"product_id":"p%d"}}"""
                    .formatted(anonymousId, messageId, i);
            calls.add(() -> {
                JsonPath answer = given().header("Authorization", "Bearer " + site.writeKey()).contentType("application/json")
                        .body(body).post("/v1/track").then().statusCode(200).extract().jsonPath();
                return new Answer(site.id(), messageId, answer.getInt("accepted"), answer.getInt("duplicates"));
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(24);
        List<Answer> answers = new ArrayList<>();
        try {
            for (Future<Answer> result : pool.invokeAll(calls)) {
                answers.add(result.get());
            }
        } finally {
            pool.shutdownNow();
        }

        int accepted = 0;
        for (Answer answer : answers) {
            assertEquals(1, answer.accepted() + answer.duplicates(), "every request is answered for its own event: " + answer);
            accepted += answer.accepted();
        }
        assertEquals(distinct.size(), accepted, "each messageId is reported new exactly once");
        for (TestSite site : List.of(first, second)) {
            assertEquals(distinct.stream().filter(key -> key.startsWith(site.id() + "/")).count(),
                    db.count("SELECT COUNT(*) FROM event WHERE site_id = ?", site.id()), "each messageId is stored once");
            assertEquals(7L, db.count("SELECT COUNT(DISTINCT visitor_id) FROM event WHERE site_id = ?", site.id()),
                    "the seven anonymous ids map to seven visitors, also when first seen in a shared transaction");
        }
        engine.drainDirty();
        for (TestSite site : List.of(first, second)) {
            assertEquals(7L, db.count("SELECT COUNT(*) FROM visitor_profile WHERE site_id = ?", site.id()),
                    "every touched visitor was marked for the segment engine, which built its profile");
        }
        assertTrue(largestGroup() > 1, "concurrent requests were stored together in one transaction");
    }

    @Test
    void aBatchAndSingleEventsOfOneVisitorStayOneVisitor() throws Exception {
        TestSite site = TestSites.create();
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            int n = i;
            calls.add(() -> given().header("Authorization", "Bearer " + site.writeKey()).contentType("application/json")
                    .body("""
                            {"batch":[{"type":"track","event":"A","anonymousId":"shared-anon","messageId":"b-%d"},
                                      {"type":"identify","anonymousId":"shared-anon","userId":"shared-user","messageId":"c-%d"}]}"""
                            .formatted(n, n))
                    .post("/v1/batch").then().statusCode(200).extract().path("accepted"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(12);
        int accepted = 0;
        try {
            for (Future<Integer> result : pool.invokeAll(calls)) {
                accepted += result.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(60, accepted);
        assertEquals(60L, db.count("SELECT COUNT(*) FROM event WHERE site_id = ?", site.id()));
        assertEquals(1L, db.count("SELECT COUNT(DISTINCT visitor_id) FROM event WHERE site_id = ?", site.id()));
        assertEquals(2L, db.count("SELECT COUNT(*) FROM visitor_identity WHERE site_id = ?", site.id()));
    }

    private static long largestGroup() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher max = Pattern.compile("(?m)^segmentpress_ingest_group_requests_max\\S* (\\S+)$").matcher(metrics);
        assertTrue(max.find(), "the group size is published as a metric");
        return (long) Double.parseDouble(max.group(1));
    }
}

package io.segmentpress.brief;

import static org.hamcrest.Matchers.greaterThan;

/** Lets the segment engine compute the planted site's segments, as a site would: {@code POST /v1/segments/recompute}. */
final class SegmentsForTests {

    private SegmentsForTests() {
    }

    static void compute(PlantedBakery bakery) {
        bakery.site.secret().body("{}").post("/v1/segments/recompute").then().statusCode(200).body("memberships", greaterThan(0));
    }
}

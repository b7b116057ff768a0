package io.segmentpress.recommend;

import com.fasterxml.jackson.databind.JsonNode;

import io.segmentpress.common.Hashes;
import io.segmentpress.common.Json;

/**
 * A site's recommendation experiment: the share of visitors who get the control list (most
 * popular) instead of the ranked one. Stored in {@code site.settings} under {@code recommend}.
 */
public record ExperimentSettings(int controlPercent) {

    public static final String RANKED = "ranked";
    public static final String CONTROL = "control";
    static final ExperimentSettings NONE = new ExperimentSettings(0);

    /** Reads the {@code recommend} part of a site's settings JSON; absent or unreadable means no experiment. */
    static ExperimentSettings fromSiteSettings(String settingsJson) {
        JsonNode root;
        try {
            root = Json.readTree(settingsJson);
        } catch (IllegalStateException e) {
            return NONE;
        }
        JsonNode recommend = root == null ? null : root.get("recommend");
        if (recommend == null || !recommend.has("controlPercent")) {
            return NONE;
        }
        int percent = recommend.get("controlPercent").asInt(0);
        return new ExperimentSettings(Math.max(0, Math.min(100, percent)));
    }

    /**
     * The variant a visitor sees: a stable function of site and anonymous id (SHA-256 into 100
     * buckets), so the same visitor keeps the same variant on every page, replica and restart.
     */
    public String variantFor(long siteId, String anonymousId) {
        if (controlPercent <= 0) {
            return RANKED;
        }
        return bucket(siteId, anonymousId) < controlPercent ? CONTROL : RANKED;
    }

    static int bucket(long siteId, String anonymousId) {
        byte[] digest = Hashes.sha256(siteId + ":" + anonymousId);
        long value = ((digest[0] & 0xFFL) << 24) | ((digest[1] & 0xFFL) << 16) | ((digest[2] & 0xFFL) << 8) | (digest[3] & 0xFFL);
        return (int) (value % 100);
    }
}

package io.segmentpress.recommend;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.segmentpress.common.Json;
import io.segmentpress.common.error.ApiException;
import io.segmentpress.common.error.Violations;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.recommend.RecommendationApi.Settings;
import io.segmentpress.site.Site;

/** A site's recommendation settings, kept in {@code site.settings} under {@code recommend}. */
@ApplicationScoped
public class RecommendationSettingsService {

    @Inject
    SiteModelStore models;

    @Inject
    AppClock clock;

    public Settings get(long siteId) {
        Site site = Site.<Site>findByIdOptional(siteId).orElseThrow(() -> ApiException.notFound("No such site"));
        return new Settings(ExperimentSettings.fromSiteSettings(site.settings).controlPercent());
    }

    /** Replaces the experiment settings, leaving the rest of the site's settings as they are. */
    @Transactional
    public Settings update(long siteId, Settings request) {
        Violations violations = new Violations();
        if (request == null || request.controlPercent() == null) {
            violations.add("controlPercent", "is required");
        } else {
            violations.check(request.controlPercent() >= 0 && request.controlPercent() <= 100, "controlPercent", "must be from 0 to 100");
        }
        violations.throwIfAny();
        Site site = Site.findForUpdate(siteId)
                .orElseThrow(() -> ApiException.notFound("No such site"));
        JsonNode existing = null;
        try {
            existing = Json.readTree(site.settings);
        } catch (IllegalStateException e) {
            // unreadable settings are replaced rather than blocking the change
        }
        ObjectNode root = existing instanceof ObjectNode object ? object : Json.MAPPER.createObjectNode();
        root.putObject("recommend").put("controlPercent", request.controlPercent());
        site.settings = Json.write(root);
        site.updatedAt = clock.now();
        models.settingsChanged(siteId, site.settings);
        return new Settings(request.controlPercent());
    }
}

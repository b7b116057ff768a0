package io.segmentpress.segment;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.segmentpress.common.error.ApiException;
import io.segmentpress.common.time.AppClock;
import io.segmentpress.segment.SegmentApi.SettingsView;
import io.segmentpress.site.Site;

/** A site's segment thresholds, kept in {@code site.settings}. */
@ApplicationScoped
public class SegmentSettingsService {

    @Inject
    AppClock clock;

    public SettingsView get(long siteId) {
        return view(site(siteId).settings);
    }

    /**
     * Changes the thresholds named in {@code patch} (null puts one back to its default). The new
     * values apply from the next evaluation: the time-window schedule or {@code POST /v1/segments/recompute}.
     */
    @Transactional
    public SettingsView patch(long siteId, JsonNode patch) {
        Site site = Site.findForUpdate(siteId).orElseThrow(() -> ApiException.unauthorized("The key's site no longer exists"));
        site.settings = SegmentSettings.applyPatch(site.settings, patch);
        site.updatedAt = clock.now();
        return view(site.settings);
    }

    private static Site site(long siteId) {
        Site site = Site.findById(siteId);
        if (site == null) {
            throw ApiException.unauthorized("The key's site no longer exists");
        }
        return site;
    }

    private static SettingsView view(String settings) {
        return new SettingsView(SegmentSettings.fromSiteSettings(settings).effective());
    }
}

package io.segmentpress.recommend;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;

import javax.sql.DataSource;

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

/**
 * A site's recommendation settings, kept in {@code site.settings} under {@code recommend}; the
 * other sections of that JSON (the segment engine's thresholds) are left as they are.
 */
@ApplicationScoped
public class RecommendationSettingsService {

    @Inject
    DataSource dataSource;

    @Inject
    SiteModelStore models;

    @Inject
    AppClock clock;

    public Settings get(long siteId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT settings FROM site WHERE id = ?")) {
            statement.setLong(1, siteId);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("No such site");
                }
                return new Settings(ExperimentSettings.fromSiteSettings(rs.getString(1)).controlPercent());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading recommendation settings failed", e);
        }
    }

    /** Replaces the experiment settings; the row is locked so concurrent changes to other sections are not lost. */
    @Transactional
    public Settings update(long siteId, Settings request) {
        Violations violations = new Violations();
        if (request == null || request.controlPercent() == null) {
            violations.add("controlPercent", "is required");
        } else {
            violations.check(request.controlPercent() >= 0 && request.controlPercent() <= 100, "controlPercent", "must be from 0 to 100");
        }
        violations.throwIfAny();
        try (Connection connection = dataSource.getConnection()) {
            String stored;
            try (PreparedStatement select = connection.prepareStatement("SELECT settings FROM site WHERE id = ? FOR UPDATE")) {
                select.setLong(1, siteId);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw ApiException.notFound("No such site");
                    }
                    stored = rs.getString(1);
                }
            }
            JsonNode existing = null;
            try {
                existing = Json.readTree(stored);
            } catch (IllegalStateException e) {
                // unreadable settings are replaced rather than blocking the change
            }
            ObjectNode root = existing instanceof ObjectNode object ? object : Json.MAPPER.createObjectNode();
            root.putObject("recommend").put("controlPercent", request.controlPercent());
            String updated = Json.write(root);
            try (PreparedStatement update = connection.prepareStatement("UPDATE site SET settings = ?, updated_at = ? WHERE id = ?")) {
                update.setString(1, updated);
                update.setTimestamp(2, Timestamp.from(clock.now()));
                update.setLong(3, siteId);
                update.executeUpdate();
            }
            models.settingsChanged(siteId, updated);
            return new Settings(request.controlPercent());
        } catch (SQLException e) {
            throw new IllegalStateException("changing recommendation settings failed", e);
        }
    }
}
